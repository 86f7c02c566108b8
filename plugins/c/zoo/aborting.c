/*
 * aborting.c: the header says an internal error in the plugin aborts the process
 * (aborts_on_panic = 1, as a Rust plugin built with panic = "abort" would say); otherwise
 * healthy. One bad call would take the gateway down with it, so the host refuses the library
 * with PluginError::NotUnwinding.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] = ZOO_MANIFEST("aborting");
static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .aborts_on_panic = 1,
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

const simpul_plugin_header *simpul_plugin_entry(void) { return &header; }

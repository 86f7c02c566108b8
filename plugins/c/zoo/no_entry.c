/*
 * no_entry.c: a healthy plugin whose entry symbol is misspelt (`simpul_plugin_entrypoint`), so
 * the library does not export SIMPUL_ENTRY_SYMBOL. The host refuses it with
 * PluginError::MissingEntry naming the symbol it looked for.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] = ZOO_MANIFEST("no_entry");
static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

const simpul_plugin_header *simpul_plugin_entrypoint(void);
const simpul_plugin_header *simpul_plugin_entrypoint(void) { return &header; }

/*
 * bad_magic.c: the header starts with "NOTSIMPL" instead of SIMPUL_MAGIC_BYTES (a library that
 * is not a Simpul plugin, or a corrupt one); the rest is a healthy v1.0 plugin. The host reads
 * the magic before anything else and refuses with PluginError::BadMagic, reporting the bytes.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] = ZOO_MANIFEST("bad_magic");
static const simpul_plugin_header header = {
    .magic = {'N', 'O', 'T', 'S', 'I', 'M', 'P', 'L'},
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

const simpul_plugin_header *simpul_plugin_entry(void) { return &header; }

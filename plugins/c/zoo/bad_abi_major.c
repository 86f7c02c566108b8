/*
 * bad_abi_major.c: the header claims ABI 2.0, a major this host does not speak (the rest
 * happens to be laid out as v1.0, but a host must not assume so). The host reads the major
 * right after the magic and refuses with PluginError::AbiMismatch naming both versions,
 * reading nothing else.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] = ZOO_MANIFEST("bad_abi_major");
static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR + 1,
    .abi_minor = 0,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

const simpul_plugin_header *simpul_plugin_entry(void) { return &header; }

/*
 * misaligned_functions.c: a valid header whose `functions` pointer is not 8-byte aligned (a
 * valid table copied four bytes into an aligned array). The host must check the table's
 * alignment before it reads it and refuse with PluginError::BadHeader.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(valid_functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static _Alignas(8) uint8_t storage[sizeof(simpul_functions) + 8];

static const char manifest[] = ZOO_MANIFEST("misaligned_functions");
static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = (const simpul_functions *)(const void *)(storage + 4),
};

const simpul_plugin_header *simpul_plugin_entry(void) {
    memcpy(storage + 4, &valid_functions, sizeof valid_functions);
    return &header;
}

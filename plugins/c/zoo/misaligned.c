/*
 * misaligned.c: the entry returns a header pointer that is not 8-byte aligned (a valid v1.0
 * header copied one byte into an aligned array). Reading it through a simpul_plugin_header
 * pointer is undefined behaviour. The host must check the alignment before it reads anything
 * and refuse with PluginError::BadHeader.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] = ZOO_MANIFEST("misaligned");
static const simpul_plugin_header valid = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

static _Alignas(8) uint8_t storage[sizeof(simpul_plugin_header) + 8];

const simpul_plugin_header *simpul_plugin_entry(void) {
    memcpy(storage + 1, &valid, sizeof valid);
    return (const simpul_plugin_header *)(const void *)(storage + 1);
}

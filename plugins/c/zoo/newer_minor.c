/*
 * newer_minor.c: a healthy plugin built against an imagined ABI 1.7, whose header and function
 * table are longer than 1.0's: each has fields appended, filled with junk a 1.0 host must not
 * touch (a junk pointer, a junk function pointer). The sizes say so (header_size 64,
 * functions.size 56). The host must copy the first 48 and 40 bytes it knows, ignore the rest,
 * and load and serve the plugin.
 */
#include "zoo_common.h"

/* simpul_functions as ABI 1.7 might have it. */
typedef struct functions_v1_7 {
    simpul_functions v1_0;
    void (*future_hook)(void *instance);
    uint64_t future_flags;
} functions_v1_7;

/* simpul_plugin_header as ABI 1.7 might have it. */
typedef struct header_v1_7 {
    simpul_plugin_header v1_0;
    const void *future_table;
    uint64_t future_flags;
} header_v1_7;

_Static_assert(sizeof(header_v1_7) == 64, "a longer header");
_Static_assert(sizeof(functions_v1_7) == 56, "a longer table");

static const functions_v1_7 functions = {
    .v1_0 =
        {
            .size = sizeof(functions_v1_7),
            .create = zoo_create,
            .call = zoo_call,
            .cancel = zoo_cancel,
            .destroy = zoo_destroy,
        },
    .future_hook = (void (*)(void *))(uintptr_t)0x0bad,
    .future_flags = 0xdeadbeefdeadbeefULL,
};

static const char manifest[] = ZOO_MANIFEST("newer_minor");
static const header_v1_7 header = {
    .v1_0 =
        {
            .magic = SIMPUL_MAGIC_BYTES,
            .abi_major = SIMPUL_ABI_MAJOR,
            .abi_minor = 7,
            .header_size = sizeof(header_v1_7),
            .manifest = (const uint8_t *)manifest,
            .manifest_len = sizeof manifest - 1,
            .functions = &functions.v1_0,
        },
    .future_table = (const void *)(uintptr_t)0x0bad,
    .future_flags = 0xdeadbeefdeadbeefULL,
};

const simpul_plugin_header *simpul_plugin_entry(void) { return &header.v1_0; }

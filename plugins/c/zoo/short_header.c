/*
 * short_header.c: a header shorter than ABI 1.0's (header_size 40 < SIMPUL_HEADER_SIZE_V1_0),
 * as a plugin built against an imagined draft without the `functions` field would return. The
 * struct really is 40 bytes long, alone in a heap block, so reading 48 bytes reads past it
 * (valgrind and ASan say so). The host must check header_size before it reads beyond the first
 * 16 bytes and refuse with PluginError::BadHeader.
 */
#include "zoo_common.h"

typedef struct short_header {
    uint8_t magic[8];
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t header_size;
    uint8_t aborts_on_panic;
    uint8_t reserved[7];
    const uint8_t *manifest;
    size_t manifest_len;
    /* no `functions` */
} short_header;

_Static_assert(sizeof(short_header) == 40, "the short header is 40 bytes");

static const char manifest[] = ZOO_MANIFEST("short_header");
static const short_header template = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(short_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
};

/* Reachable for the life of the process, as a header must be. */
static short_header *header;

const simpul_plugin_header *simpul_plugin_entry(void) {
    if (header == NULL) {
        header = malloc(sizeof *header);
        if (header == NULL) {
            return NULL;
        }
        *header = template;
    }
    return (const simpul_plugin_header *)(const void *)header;
}

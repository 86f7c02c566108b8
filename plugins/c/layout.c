/*
 * layout.c: prints the layout of every struct in simpul_plugin.h as the C compiler sees it,
 * one line per struct ("STRUCT size SIZE align ALIGN") and per field ("STRUCT.FIELD offset
 * OFFSET size SIZE"). Not a plugin: tests/tests/abi_layout.rs compiles it with `cc` against
 * the header alone, runs it, and compares every number with the Rust #[repr(C)] definitions
 * in plugins/src/abi.rs.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>

#include "simpul_plugin.h"

#define STRUCT(T) printf("%s size %zu align %zu\n", #T, sizeof(T), alignof(T))
#define FIELD(T, F)                                                                         \
    printf("%s.%s offset %zu size %zu\n", #T, #F, offsetof(T, F), sizeof(((T *)0)->F))

int main(void) {
    STRUCT(simpul_plugin_header);
    FIELD(simpul_plugin_header, magic);
    FIELD(simpul_plugin_header, abi_major);
    FIELD(simpul_plugin_header, abi_minor);
    FIELD(simpul_plugin_header, header_size);
    FIELD(simpul_plugin_header, aborts_on_panic);
    FIELD(simpul_plugin_header, reserved);
    FIELD(simpul_plugin_header, manifest);
    FIELD(simpul_plugin_header, manifest_len);
    FIELD(simpul_plugin_header, functions);

    STRUCT(simpul_functions);
    FIELD(simpul_functions, size);
    FIELD(simpul_functions, reserved);
    FIELD(simpul_functions, create);
    FIELD(simpul_functions, call);
    FIELD(simpul_functions, cancel);
    FIELD(simpul_functions, destroy);

    STRUCT(simpul_host);
    FIELD(simpul_host, size);
    FIELD(simpul_host, abi_major);
    FIELD(simpul_host, abi_minor);
    FIELD(simpul_host, info);
    FIELD(simpul_host, info_len);
    FIELD(simpul_host, context);
    FIELD(simpul_host, log);
    FIELD(simpul_host, complete);

    STRUCT(simpul_buffer);
    FIELD(simpul_buffer, ptr);
    FIELD(simpul_buffer, len);
    FIELD(simpul_buffer, private_data);
    FIELD(simpul_buffer, release);

    STRUCT(simpul_status);
    printf("constant SIMPUL_ABI_MAJOR %d\n", SIMPUL_ABI_MAJOR);
    printf("constant SIMPUL_ABI_MINOR %d\n", SIMPUL_ABI_MINOR);
    printf("constant SIMPUL_HEADER_SIZE_V1_0 %d\n", SIMPUL_HEADER_SIZE_V1_0);
    printf("constant SIMPUL_FUNCTIONS_SIZE_V1_0 %d\n", SIMPUL_FUNCTIONS_SIZE_V1_0);
    printf("constant SIMPUL_HOST_SIZE_V1_0 %d\n", SIMPUL_HOST_SIZE_V1_0);
    printf("constant SIMPUL_STATUS_OK %d\n", SIMPUL_STATUS_OK);
    printf("constant SIMPUL_STATUS_ERROR %d\n", SIMPUL_STATUS_ERROR);
    printf("constant SIMPUL_STATUS_PANIC %d\n", SIMPUL_STATUS_PANIC);
    printf("constant SIMPUL_STATUS_POISONED %d\n", SIMPUL_STATUS_POISONED);
    printf("constant SIMPUL_STATUS_CANCELLED %d\n", SIMPUL_STATUS_CANCELLED);
    printf("constant SIMPUL_STATUS_TIMEOUT %d\n", SIMPUL_STATUS_TIMEOUT);
    printf("constant SIMPUL_STATUS_BAD_REQUEST %d\n", SIMPUL_STATUS_BAD_REQUEST);
    printf("constant SIMPUL_LOG_ERROR %d\n", SIMPUL_LOG_ERROR);
    printf("constant SIMPUL_LOG_WARN %d\n", SIMPUL_LOG_WARN);
    printf("constant SIMPUL_LOG_INFO %d\n", SIMPUL_LOG_INFO);
    printf("constant SIMPUL_LOG_DEBUG %d\n", SIMPUL_LOG_DEBUG);
    static const unsigned char magic[8] = SIMPUL_MAGIC_BYTES;
    printf("magic");
    for (size_t i = 0; i < sizeof magic; i++) {
        printf(" %u", magic[i]);
    }
    printf("\nentry %s\n", SIMPUL_ENTRY_SYMBOL);
    return 0;
}

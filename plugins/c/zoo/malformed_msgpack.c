/*
 * malformed_msgpack.c: a plugin that lists "msgpack" first among its encodings (so the host
 * speaks MessagePack to it, plugins/docs/abi.md section 8.7) and then answers in bytes that
 * are not MessagePack: odd calls complete with SIMPUL_STATUS_OK and a payload that starts
 * with 0xc1 (the one byte MessagePack never uses), even calls with SIMPUL_STATUS_ERROR and an
 * error payload that is half a map followed by binary bytes. The host must fail an OK call
 * with PluginErrorKind::BadResponse, turn an ERROR call into an adapter error whose message
 * describes the payload instead of repeating its bytes, release every payload, and keep
 * serving.
 */
#include "zoo_common.h"

static const uint8_t not_msgpack[] = {0xc1, 0x82, 0xa4, 'k', 'i', 'n', 'd', 0x00, 0xff};
/* {"code": <0xc1>…: a fixmap of one entry whose value is the unused byte, then control and
 * invalid UTF-8 bytes. */
static const uint8_t bad_error[] = {0x81, 0xa4, 'c', 'o', 'd', 'e', 0xc1, 0x07, 0x1b, 0x0a, 0xfe};

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)request;
    (void)request_len;
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    long n = zoo_count_call(instance);
    if (n % 2 == 1) {
        instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK,
                                 zoo_buffer(not_msgpack, sizeof not_msgpack));
    } else {
        instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_ERROR,
                                 zoo_buffer(bad_error, sizeof bad_error));
    }
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN_WITH("malformed_msgpack", functions, "[\"msgpack\",\"json\"]")

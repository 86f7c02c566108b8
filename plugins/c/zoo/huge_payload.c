/*
 * huge_payload.c: answers every call with a 100 MiB payload, more than the host's
 * maxPayloadBytes (64 MiB by default; HostInfo says). The host must not read it: the call
 * fails with PluginErrorKind::PayloadTooLarge and the buffer is released at once (the zoo's
 * counters show it). The bytes are calloc'd and never touched, so they cost no memory unless
 * someone reads them.
 */
#include "zoo_common.h"

#define HUGE_LEN ((size_t)100 * 1024 * 1024)

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)request;
    (void)request_len;
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    simpul_buffer payload = {0};
    void *bytes = calloc(HUGE_LEN, 1);
    if (bytes != NULL) {
        payload = (simpul_buffer){bytes, HUGE_LEN, bytes, zoo_release};
        atomic_fetch_add(&zoo_handed, 1);
    }
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK, payload);
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("huge_payload", functions)

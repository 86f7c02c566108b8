/*
 * unknown_status.c: completes every call with status 77, which no ABI 1.x defines. The host
 * must not read it as success: the call fails with PluginErrorKind::UnknownStatus(77) (an
 * adapter fault) and the payload is released.
 */
#include "zoo_common.h"

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    instance->host->complete(instance->host->context, call_id, (simpul_status)77,
                             zoo_answer(request, request_len));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("unknown_status", functions)

/*
 * double_complete.c: completes every call twice, the second time with a different payload
 * (an error). With a completion context freed on first use this was a double free.
 * The host must take the first completion, ignore the second (release its payload, count it
 * in stray_completions()), and keep serving later calls.
 */
#include "zoo_common.h"

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    const simpul_host *host = instance->host;
    zoo_count_call(instance);
    host->complete(host->context, call_id, SIMPUL_STATUS_OK, zoo_answer(request, request_len));
    host->complete(host->context, call_id, SIMPUL_STATUS_ERROR,
                   zoo_text("{\"code\":\"INTERNAL\",\"message\":\"second completion\"}"));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("double_complete", functions)

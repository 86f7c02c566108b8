/*
 * malformed_json.c: completes every call with SIMPUL_STATUS_OK and a payload that is not
 * JSON. The host must fail the call with PluginErrorKind::BadResponse (an adapter fault),
 * release the payload, and keep serving: nothing is poisoned by a bad answer.
 */
#include "zoo_common.h"

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)request;
    (void)request_len;
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK,
                             zoo_text("{\"kind\":\"query\",\"body\": this is not JSON"));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("malformed_json", functions)

/*
 * no_complete.c: the first call of each instance returns without ever completing; later calls
 * are answered. The host must end the forgotten call at its deadline (Timeout) without a leak
 * and serve the later calls as if nothing happened.
 */
#include "zoo_common.h"

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    if (zoo_count_call(instance) == 1) {
        return; /* the mistake: no completion, ever */
    }
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK,
                             zoo_answer(request, request_len));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("no_complete", functions)

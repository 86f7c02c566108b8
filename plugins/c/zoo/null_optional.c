/*
 * null_optional.c: `cancel` and `destroy` are NULL, which the header allows; otherwise
 * healthy. The host must load it and serve it, and never call the NULL slots (no cancel at a
 * deadline, no destroy at shutdown). Nothing frees an instance, so there is none to free: the
 * instance pointer is the host struct itself, which lives for the whole process.
 */
#include "zoo_common.h"

static simpul_status create(const simpul_host *host, const uint8_t *config, size_t config_len,
                            void **out_instance, simpul_buffer *out_error) {
    (void)config;
    (void)config_len;
    (void)out_error;
    *out_instance = (void *)host;
    return SIMPUL_STATUS_OK;
}

static void call(void *instance, uint64_t call_id, const uint8_t *request, size_t request_len,
                 uint64_t timeout_ms) {
    (void)timeout_ms;
    const simpul_host *host = instance;
    atomic_fetch_add(&zoo_call_count, 1);
    host->complete(host->context, call_id, SIMPUL_STATUS_OK, zoo_answer(request, request_len));
}

ZOO_FUNCTIONS(functions, create, call, NULL, NULL);
ZOO_PLUGIN("null_optional", functions)

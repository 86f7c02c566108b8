/*
 * blocking.c: blocks inside `call` for 3 s (sleeping on the host's dispatch thread) before it
 * completes. The host must never run `call` on the gateway's async workers: meanwhile other
 * providers' calls and the async runtime's timers go on as usual. The caller gets Timeout at
 * its own deadline; the completion that finally comes is late (released and counted).
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "zoo_common.h"

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    struct timespec pause = {.tv_sec = 3, .tv_nsec = 0};
    while (nanosleep(&pause, &pause) != 0) {
    }
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK,
                             zoo_answer(request, request_len));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("blocking", functions)

/*
 * late_complete.c: every call hands its work to a thread the plugin starts itself (a foreign
 * thread the host knows nothing of), which sleeps a second past the deadline (timeout_ms +
 * 1000 ms) and then completes with a valid answer. The host must have given up at the deadline
 * (Timeout) and stopped waiting for the call id, so the late completion finds nothing: its
 * payload is released and counted (late_completions()), never a use of freed memory.
 * zoo_late_completions() says when it came.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "zoo_common.h"

typedef struct late_job {
    const simpul_host *host; /* valid for the life of the process, unlike the instance */
    uint64_t call_id;
    uint64_t sleep_ms;
} late_job;

static void *late_worker(void *arg) {
    late_job *job = arg;
    struct timespec pause = {
        .tv_sec = (time_t)(job->sleep_ms / 1000),
        .tv_nsec = (long)(job->sleep_ms % 1000) * 1000000L,
    };
    while (nanosleep(&pause, &pause) != 0) {
    }
    job->host->complete(job->host->context, job->call_id, SIMPUL_STATUS_OK,
                        zoo_text(ZOO_RESPONSE));
    atomic_fetch_add(&zoo_late, 1);
    free(job);
    return NULL;
}

static void call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                 size_t request_len, uint64_t timeout_ms) {
    (void)request;
    (void)request_len;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    late_job *job = malloc(sizeof *job);
    pthread_attr_t attr;
    pthread_t thread;
    if (job != NULL) {
        *job = (late_job){instance->host, call_id, timeout_ms + 1000};
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attr, late_worker, job) == 0) {
            pthread_attr_destroy(&attr);
            return;
        }
        pthread_attr_destroy(&attr);
        free(job);
    }
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_ERROR,
                             zoo_text("{\"code\":\"INTERNAL\",\"message\":\"no thread\"}"));
}

ZOO_FUNCTIONS(functions, zoo_create, call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("late_complete", functions)

/*
 * zoo_common.h: the healthy C plugin every zoo case starts from, written against
 * simpul_plugin.h alone. A case includes this file once (each zoo/NAME.c is one library),
 * keeps what works, and breaks one thing.
 *
 * The healthy plugin serves one provider ("czoo") with one collection, trainingCenters, and
 * answers every query with the same single training centre (ZOO_RESPONSE) and a status request
 * with a canned SourceStatus. Every payload it hands the host is a heap buffer whose release is
 * counted, so a test can ask, through exported functions, whether the host released each one
 * exactly once:
 *
 *   long zoo_outstanding_buffers(void);  handed over and not yet released (0: no leak;
 *                                        negative: a buffer was released twice)
 *   long zoo_buffers_handed(void);       payloads handed over so far
 *   long zoo_calls(void);                `call`s received so far
 *   long zoo_late_completions(void);     completions made after the call's deadline
 *                                        (late_complete.c)
 *
 * Counters are per library (process-wide), not per instance.
 */
#ifndef SIMPUL_ZOO_COMMON_H
#define SIMPUL_ZOO_COMMON_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simpul_plugin.h"

/* ---- The manifest and the canned answers ---------------------------------------------- */

/* The manifest of a zoo plugin called NAME that speaks ENCODINGS (string literals; ENCODINGS
 * a JSON list such as "[\"msgpack\",\"json\"]", in its order of preference). */
#define ZOO_MANIFEST_WITH(NAME, ENCODINGS)                                                  \
    "{\"name\":\"simpul-czoo-" NAME "\",\"version\":\"0.1.0\","                            \
    "\"provider\":{\"key\":\"czoo\",\"name\":\"C zoo (test provider)\",\"kind\":\"OTHER\","  \
    "\"sourceKind\":\"OTHER\",\"contractVersion\":\"0\"},"                                  \
    "\"capabilities\":{\"collections\":{\"trainingCenters\":{\"filterOperators\":[],"       \
    "\"orderBy\":false,\"paging\":false,\"lookupById\":false}},\"aggregates\":[]},"         \
    "\"encodings\":" ENCODINGS ",\"configSchema\":{\"type\":\"object\"}}"

/* The manifest of a zoo plugin called NAME that speaks JSON only. */
#define ZOO_MANIFEST(NAME) ZOO_MANIFEST_WITH(NAME, "[\"json\"]")

/* The one training centre every query gets (an AdapterResponse of kind "query"). */
#define ZOO_RESPONSE                                                                        \
    "{\"kind\":\"query\",\"body\":{\"records\":{\"collection\":\"trainingCenters\","        \
    "\"records\":[{\"sourceId\":\"CZOO-TC-01\",\"warnings\":[],"                            \
    "\"name\":\"BLK Komunitas Zoo\",\"alternateNames\":[],\"institutionType\":\"BLKK\","   \
    "\"sector\":null,\"supervisorId\":null,\"address\":null,\"foundedYear\":null,"          \
    "\"areaHectares\":null,\"facilities\":[],\"fields\":[],\"licenses\":[],"                \
    "\"yearsOfExperience\":null,\"contact\":null,\"active\":true}]},\"totalCount\":1}}"

/* The answer to {"kind":"status"}. */
#define ZOO_STATUS_RESPONSE                                                                 \
    "{\"kind\":\"status\",\"body\":{\"dataAsOf\":null,"                                     \
    "\"recordCounts\":{\"trainingCenters\":1},\"rejected\":[],\"warnings\":0}}"

/* ---- Counted payload buffers ---------------------------------------------------------- */

static atomic_long zoo_handed;
static atomic_long zoo_released;
static atomic_long zoo_call_count;
static atomic_long zoo_late;

long zoo_outstanding_buffers(void);
long zoo_buffers_handed(void);
long zoo_calls(void);
long zoo_late_completions(void);

long zoo_outstanding_buffers(void) { return atomic_load(&zoo_handed) - atomic_load(&zoo_released); }
long zoo_buffers_handed(void) { return atomic_load(&zoo_handed); }
long zoo_calls(void) { return atomic_load(&zoo_call_count); }
long zoo_late_completions(void) { return atomic_load(&zoo_late); }

/* The release of every buffer the zoo allocates: free the bytes, count, and disarm. */
static inline void zoo_release(simpul_buffer *buffer) {
    free(buffer->private_data);
    buffer->ptr = NULL;
    buffer->len = 0;
    buffer->private_data = NULL;
    buffer->release = NULL;
    atomic_fetch_add(&zoo_released, 1);
}

/* A heap copy of `len` bytes, counted as handed over. Ownership passes to the host with the
 * completion; the host must call `release` exactly once. */
static inline simpul_buffer zoo_buffer(const void *bytes, size_t len) {
    simpul_buffer buffer = {0};
    void *copy = malloc(len ? len : 1);
    if (copy == NULL) {
        return buffer; /* an empty buffer with no release: nothing to free */
    }
    if (len) {
        memcpy(copy, bytes, len);
    }
    buffer.ptr = copy;
    buffer.len = len;
    buffer.private_data = copy;
    buffer.release = zoo_release;
    atomic_fetch_add(&zoo_handed, 1);
    return buffer;
}

/* A buffer holding a C string (without its NUL). */
static inline simpul_buffer zoo_text(const char *text) { return zoo_buffer(text, strlen(text)); }

/* ---- The healthy functions ------------------------------------------------------------ */

/* An instance: the host it was created for (valid for the life of the process). */
typedef struct zoo_instance {
    const simpul_host *host;
    atomic_long calls;
} zoo_instance;

static inline void zoo_log(const simpul_host *host, uint64_t call_id, uint32_t level,
                           const char *message) {
    host->log(host->context, call_id, level, (const uint8_t *)message, strlen(message));
}

static inline simpul_status zoo_create(const simpul_host *host, const uint8_t *config,
                                       size_t config_len, void **out_instance,
                                       simpul_buffer *out_error) {
    (void)config;
    (void)config_len;
    zoo_instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) {
        *out_error = zoo_text("{\"code\":\"INTERNAL\",\"message\":\"out of memory\"}");
        return SIMPUL_STATUS_ERROR;
    }
    instance->host = host;
    zoo_log(host, 0, SIMPUL_LOG_INFO, "czoo instance created");
    *out_instance = instance;
    return SIMPUL_STATUS_OK;
}

/* Whether the request bytes are a status request (the zoo answers everything else as a
 * trainingCenters query). The bytes are only valid during `call`, so look at them there. */
static inline int zoo_is_status_request(const uint8_t *request, size_t len) {
    static const char needle[] = "\"kind\":\"status\"";
    size_t n = sizeof needle - 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(request + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The healthy answer to a request, as a buffer to complete with. */
static inline simpul_buffer zoo_answer(const uint8_t *request, size_t len) {
    return zoo_is_status_request(request, len) ? zoo_text(ZOO_STATUS_RESPONSE)
                                               : zoo_text(ZOO_RESPONSE);
}

/* Count a call on the instance and the library; returns the instance's 1-based call number. */
static inline long zoo_count_call(zoo_instance *instance) {
    atomic_fetch_add(&zoo_call_count, 1);
    return atomic_fetch_add(&instance->calls, 1) + 1;
}

/* Answer at once, inside `call` (allowed: `complete` may run before `call` returns). */
static inline void zoo_call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                            size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK,
                             zoo_answer(request, request_len));
}

/* Calls finish inside `call`, so there is never anything to cancel. */
static inline void zoo_cancel(void *instance, uint64_t call_id) {
    (void)instance;
    (void)call_id;
}

static inline void zoo_destroy(void *instance) { free(instance); }

/* ---- Tables and the entry symbol ------------------------------------------------------ */

/* A v1.0 function table called NAME. */
#define ZOO_FUNCTIONS(NAME, CREATE, CALL, CANCEL, DESTROY)                                   \
    static const simpul_functions NAME = {                                                  \
        .size = sizeof(simpul_functions),                                                   \
        .reserved = 0,                                                                      \
        .create = CREATE,                                                                   \
        .call = CALL,                                                                       \
        .cancel = CANCEL,                                                                   \
        .destroy = DESTROY,                                                                 \
    }

/* A v1.0 header over FUNCTIONS (a simpul_functions) with the manifest of plugin NAME, and the
 * entry symbol that returns it. */
#define ZOO_PLUGIN(NAME, FUNCTIONS) ZOO_PLUGIN_WITH(NAME, FUNCTIONS, "[\"json\"]")

/* ZOO_PLUGIN for a plugin that speaks ENCODINGS (see ZOO_MANIFEST_WITH). */
#define ZOO_PLUGIN_WITH(NAME, FUNCTIONS, ENCODINGS)                                          \
    static const char zoo_manifest[] = ZOO_MANIFEST_WITH(NAME, ENCODINGS);                  \
    static const simpul_plugin_header zoo_header = {                                        \
        .magic = SIMPUL_MAGIC_BYTES,                                                        \
        .abi_major = SIMPUL_ABI_MAJOR,                                                      \
        .abi_minor = SIMPUL_ABI_MINOR,                                                      \
        .header_size = sizeof(simpul_plugin_header),                                        \
        .aborts_on_panic = 0,                                                               \
        .reserved = {0},                                                                    \
        .manifest = (const uint8_t *)zoo_manifest,                                          \
        .manifest_len = sizeof zoo_manifest - 1,                                            \
        .functions = &(FUNCTIONS),                                                          \
    };                                                                                      \
    const simpul_plugin_header *simpul_plugin_entry(void) { return &zoo_header; }

#endif /* SIMPUL_ZOO_COMMON_H */

/*
 * adapter.c: the LPK adapter as a Simpul plugin: the header, manifest and functions the host
 * calls (plugins/include/simpul_plugin.h, plugins/docs/abi.md). The directory is read once in
 * `create` and only read afterwards, so calls run on any number of host threads at once
 * without locks; the one lock guards the list of calls in progress, which `cancel` marks.
 * Every call completes exactly once, inline, before `call` returns.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lpk.h"
#include "simpul_plugin.h"

/* When HostInfo does not say (an older host): the ABI's default. */
#define DEFAULT_MAX_PAYLOAD ((uint64_t)64 << 20)
/* Check for cancellation and the deadline every this many records. */
#define CHECK_EVERY 64

static const char MANIFEST[] =
    "{\"name\":\"simpul-c-lpk\",\"version\":\"1.0.0\",\"encodings\":[\"json\"],"
    "\"provider\":{\"key\":\"lpk\",\"name\":\"Direktori LPK Kabupaten Tangerang\","
    "\"kind\":\"PRIVATE_PROVIDER\",\"sourceKind\":\"CSV_FILES\",\"contractVersion\":\"1.0\"},"
    "\"capabilities\":{\"collections\":{\"trainingCenters\":{\"filterOperators\":[],"
    "\"orderBy\":false,\"paging\":true,\"lookupById\":true}},\"aggregates\":[]},"
    "\"configSchema\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
    "\"title\":\"LpkConfig\",\"type\":\"object\",\"required\":[\"data_file\"],"
    "\"additionalProperties\":false,\"properties\":{\"data_file\":{\"type\":\"string\","
    "\"minLength\":1,\"description\":\"The directory's CSV file: an absolute path, or one "
    "relative to the gateway's working directory.\"}}}}";

/* A call in progress, on its own `call`'s stack, linked into the instance while it runs. */
typedef struct active_call {
    uint64_t id;
    atomic_int cancelled;
    struct active_call *next;
} active_call;

typedef struct instance {
    const simpul_host *host;
    lpk_directory dir;
    uint64_t max_payload;
    pthread_mutex_t lock; /* guards `active` only */
    active_call *active;
} instance;

/* ---- Buffers and messages ------------------------------------------------------------- */

/* The host releases a payload through this, from any thread. The struct is the host's own
 * copy, so the allocation is found through private_data, not through the struct. */
static void release_malloced(simpul_buffer *buffer) {
    free(buffer->private_data);
    buffer->release = NULL;
}

/* Hand `len` malloc'ed bytes over (NULL: nothing). */
static simpul_buffer owned(char *bytes, size_t len) {
    simpul_buffer b = {(const uint8_t *)bytes, len, bytes, bytes ? release_malloced : NULL};
    return b;
}

/* Static text: nothing to release. For when there is no memory left to say more. */
static simpul_buffer static_text(const char *text) {
    simpul_buffer b = {(const uint8_t *)text, strlen(text), NULL, NULL};
    return b;
}

/* A JSON AdapterError {"code", "message"}. */
static simpul_buffer adapter_error(const char *code, const char *message) {
    lpk_out out = {0};
    lpk_out_raw(&out, "{\"code\":");
    lpk_out_opt_string(&out, code);
    lpk_out_raw(&out, ",\"message\":");
    lpk_out_opt_string(&out, message);
    lpk_out_raw(&out, "}");
    if (out.failed) {
        lpk_out_free(&out);
        return static_text("{\"code\":\"INTERNAL\",\"message\":\"out of memory\"}");
    }
    size_t len;
    char *bytes = lpk_out_take(&out, &len);
    return owned(bytes, len);
}

static simpul_buffer text(const char *message) {
    size_t n = strlen(message);
    char *copy = malloc(n);
    if (copy == NULL) {
        return static_text("out of memory");
    }
    memcpy(copy, message, n);
    return owned(copy, n);
}

/* A log line about `call_id` (0: none). printf-style; cut at a character boundary. */
static void say(const simpul_host *host, uint64_t call_id, uint32_t level, const char *format,
                ...) {
    if (host == NULL || host->log == NULL) {
        return;
    }
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (n < 0) {
        return;
    }
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    while (len > 0 && len < (size_t)n && ((unsigned char)line[len] & 0xc0) == 0x80) {
        len--; /* do not end inside a UTF-8 sequence */
    }
    host->log(host->context, call_id, level, (const uint8_t *)line, len);
}

/* ---- Requests ------------------------------------------------------------------------- */

static int key_is(const lpk_json *member, const char *key) {
    return member->key_len == strlen(key) && memcmp(member->key, key, member->key_len) == 0;
}

/* A filter made of and/or/not only, which is a constant: 1 or 0. -1 when it compares a field
 * (this adapter declares no operators, so the host never sends one); -2 when malformed. */
static int constant_filter(const lpk_json *f) {
    if (f->type != LPK_JSON_OBJECT || f->n_items != 1) {
        return -2;
    }
    const lpk_json *v = &f->items[0];
    int is_and = key_is(v, "and"), is_or = key_is(v, "or");
    if (is_and || is_or) {
        if (v->type != LPK_JSON_ARRAY) {
            return -2;
        }
        int result = is_and;
        for (size_t i = 0; i < v->n_items; i++) {
            int r = constant_filter(&v->items[i]);
            if (r < 0) {
                return r;
            }
            result = is_and ? (result && r) : (result || r);
        }
        return result;
    }
    if (key_is(v, "not")) {
        int r = constant_filter(v);
        return r < 0 ? r : !r;
    }
    return -1;
}

static int expired(const struct timespec *deadline) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/* Answer a query: ids, a constant filter, offset and limit. */
static simpul_status query(instance *inst, const active_call *me, const lpk_json *body,
                           const struct timespec *deadline, simpul_buffer *payload) {
    const lpk_json *collection = lpk_json_get(body, "collection");
    if (collection == NULL || collection->type != LPK_JSON_STRING) {
        *payload = text("query.collection is missing or not a string");
        return SIMPUL_STATUS_BAD_REQUEST;
    }
    if (strcmp(collection->text, "trainingCenters") != 0) {
        *payload = adapter_error("UNSUPPORTED", "this adapter serves trainingCenters only");
        return SIMPUL_STATUS_ERROR;
    }
    const lpk_json *ids = lpk_json_get(body, "ids");
    if (!lpk_json_is_null(ids)) {
        if (ids->type != LPK_JSON_ARRAY) {
            *payload = text("query.ids is not a list");
            return SIMPUL_STATUS_BAD_REQUEST;
        }
        for (size_t i = 0; i < ids->n_items; i++) {
            if (ids->items[i].type != LPK_JSON_STRING) {
                *payload = text("query.ids holds something other than a string");
                return SIMPUL_STATUS_BAD_REQUEST;
            }
        }
    } else {
        ids = NULL;
    }
    int keep = 1;
    const lpk_json *filter = lpk_json_get(body, "filter");
    if (!lpk_json_is_null(filter)) {
        keep = constant_filter(filter);
        if (keep == -1) {
            *payload = adapter_error("UNSUPPORTED", "filters that compare fields are not among this adapter's capabilities");
            return SIMPUL_STATUS_ERROR;
        }
        if (keep < 0) {
            *payload = text("query.filter is not a filter");
            return SIMPUL_STATUS_BAD_REQUEST;
        }
    }
    const lpk_json *order = lpk_json_get(body, "orderBy");
    if (!lpk_json_is_null(order) && (order->type != LPK_JSON_ARRAY || order->n_items > 0)) {
        *payload = adapter_error("UNSUPPORTED", "orderBy is not among this adapter's capabilities");
        return SIMPUL_STATUS_ERROR;
    }
    uint64_t offset = 0, limit = UINT64_MAX;
    const lpk_json *v = lpk_json_get(body, "offset");
    if (!lpk_json_is_null(v) && !lpk_json_u64(v, &offset)) {
        *payload = text("query.offset is not a non-negative integer");
        return SIMPUL_STATUS_BAD_REQUEST;
    }
    v = lpk_json_get(body, "limit");
    if (!lpk_json_is_null(v) && !lpk_json_u64(v, &limit)) {
        *payload = text("query.limit is not a non-negative integer");
        return SIMPUL_STATUS_BAD_REQUEST;
    }

    lpk_out out = {0};
    uint64_t total = 0, sent = 0;
    lpk_out_raw(&out, "{\"kind\":\"query\",\"body\":{\"records\":{\"collection\":\"trainingCenters\",\"records\":[");
    for (size_t i = 0; keep && i < inst->dir.n_centers; i++) {
        if (i % CHECK_EVERY == 0 && (atomic_load(&me->cancelled) || expired(deadline))) {
            int cancelled = atomic_load(&me->cancelled);
            lpk_out_free(&out);
            *payload = text(cancelled ? "cancelled by the host" : "the deadline passed");
            return cancelled ? SIMPUL_STATUS_CANCELLED : SIMPUL_STATUS_TIMEOUT;
        }
        const lpk_center *c = &inst->dir.centers[i];
        int wanted = ids == NULL;
        for (size_t k = 0; ids != NULL && !wanted && k < ids->n_items; k++) {
            wanted = ids->items[k].text_len == strlen(c->id) &&
                     memcmp(ids->items[k].text, c->id, ids->items[k].text_len) == 0;
        }
        if (!wanted) {
            continue;
        }
        if (total++ >= offset && sent < limit) {
            lpk_out_raw(&out, sent++ ? "," : "");
            lpk_out_bytes(&out, c->json, c->json_len);
        }
    }
    lpk_out_raw(&out, "]},\"totalCount\":");
    lpk_out_u64(&out, total);
    lpk_out_raw(&out, "}}");
    if (out.failed) {
        lpk_out_free(&out);
        *payload = adapter_error("INTERNAL", "out of memory while writing the response");
        return SIMPUL_STATUS_ERROR;
    }
    if (out.len > inst->max_payload) {
        lpk_out_free(&out);
        *payload = adapter_error("RESPONSE_TOO_LARGE", "the answer is larger than the host accepts; ask for a smaller page");
        return SIMPUL_STATUS_ERROR;
    }
    size_t len;
    char *bytes = lpk_out_take(&out, &len);
    *payload = owned(bytes, len);
    return SIMPUL_STATUS_OK;
}

/* Decode a request and answer it. The parsed value owns copies of the request's text, so
 * nothing here refers to the request bytes after parsing (they are valid only during call). */
static simpul_status answer(instance *inst, const active_call *me, const uint8_t *request,
                            size_t len, const struct timespec *deadline, simpul_buffer *payload) {
    const char *error = NULL;
    lpk_json *root = lpk_json_parse(request, len, &error);
    if (root == NULL) {
        char message[96];
        snprintf(message, sizeof message, "the request is not JSON: %s", error);
        *payload = text(message);
        return SIMPUL_STATUS_BAD_REQUEST;
    }
    simpul_status status;
    const lpk_json *kind = lpk_json_get(root, "kind");
    if (kind == NULL || kind->type != LPK_JSON_STRING) {
        *payload = text("the request has no kind");
        status = SIMPUL_STATUS_BAD_REQUEST;
    } else if (strcmp(kind->text, "status") == 0) {
        char *copy = malloc(inst->dir.status_len);
        if (copy != NULL) {
            memcpy(copy, inst->dir.status_json, inst->dir.status_len);
            *payload = owned(copy, inst->dir.status_len);
            status = SIMPUL_STATUS_OK;
        } else {
            *payload = adapter_error("INTERNAL", "out of memory");
            status = SIMPUL_STATUS_ERROR;
        }
    } else if (strcmp(kind->text, "query") == 0) {
        const lpk_json *body = lpk_json_get(root, "body");
        if (body == NULL || body->type != LPK_JSON_OBJECT) {
            *payload = text("the query has no body");
            status = SIMPUL_STATUS_BAD_REQUEST;
        } else {
            status = query(inst, me, body, deadline, payload);
        }
    } else {
        /* aggregate (no views declared) or a kind from a newer host */
        *payload = adapter_error("UNSUPPORTED", "this request kind is not among this adapter's capabilities");
        status = SIMPUL_STATUS_ERROR;
    }
    lpk_json_free(root);
    return status;
}

/* ---- The functions the host calls ----------------------------------------------------- */

static simpul_status lpk_create(const simpul_host *host, const uint8_t *config, size_t config_len,
                                void **out_instance, simpul_buffer *out_error) {
    if (host == NULL || host->size < SIMPUL_HOST_SIZE_V1_0 || host->abi_major != SIMPUL_ABI_MAJOR) {
        *out_error = adapter_error("INTERNAL", "this plugin speaks Simpul ABI 1.x; the host does not");
        return SIMPUL_STATUS_ERROR;
    }
    /* HostInfo: the largest payload the host takes. Unknown fields are ignored. */
    uint64_t max_payload = DEFAULT_MAX_PAYLOAD, call_threads = 0;
    const char *error = NULL;
    lpk_json *info = lpk_json_parse(host->info, host->info_len, &error);
    if (info != NULL) {
        lpk_json_u64(lpk_json_get(info, "maxPayloadBytes"), &max_payload);
        lpk_json_u64(lpk_json_get(info, "callThreads"), &call_threads);
        lpk_json_free(info);
    }
    /* The config: already validated against the manifest's configSchema, checked anyway. */
    lpk_json *cfg = lpk_json_parse(config, config_len, &error);
    const lpk_json *file = lpk_json_get(cfg, "data_file");
    if (file == NULL || file->type != LPK_JSON_STRING || file->text_len == 0 ||
        strlen(file->text) != file->text_len) {
        lpk_json_free(cfg);
        *out_error = adapter_error("INVALID_CONFIG", "data_file must name the directory's CSV file");
        return SIMPUL_STATUS_ERROR;
    }
    instance *inst = calloc(1, sizeof *inst);
    if (inst == NULL || pthread_mutex_init(&inst->lock, NULL) != 0) {
        free(inst);
        lpk_json_free(cfg);
        *out_error = adapter_error("INTERNAL", "out of memory");
        return SIMPUL_STATUS_ERROR;
    }
    inst->host = host;
    inst->max_payload = max_payload;
    const char *code;
    char *message;
    if (lpk_directory_load(&inst->dir, file->text, &code, &message) != 0) {
        *out_error = adapter_error(code, message != NULL ? message : "cannot read the directory");
        free(message);
        pthread_mutex_destroy(&inst->lock);
        free(inst);
        lpk_json_free(cfg);
        return SIMPUL_STATUS_ERROR;
    }
    const char *name = strrchr(file->text, '/') ? strrchr(file->text, '/') + 1 : file->text;
    for (size_t i = 0; i < inst->dir.n_rejected; i++) {
        say(host, 0, SIMPUL_LOG_WARN, "rejected %s:%lu: %s", name, inst->dir.rejected[i].line,
            inst->dir.rejected[i].reason);
    }
    say(host, 0, SIMPUL_LOG_INFO,
        "loaded %s: %zu institutions, %zu rows rejected, %zu with warnings (host ABI %u.%u, %llu call threads)",
        name, inst->dir.n_centers, inst->dir.n_rejected, inst->dir.n_warned,
        (unsigned)host->abi_major, (unsigned)host->abi_minor, (unsigned long long)call_threads);
    lpk_json_free(cfg);
    *out_instance = inst;
    return SIMPUL_STATUS_OK;
}

static void lpk_call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                     size_t request_len, uint64_t timeout_ms) {
    instance *inst = instance_ptr;
    const simpul_host *host = inst->host;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    if (timeout_ms > (uint64_t)1000 * 1000 * 1000) {
        timeout_ms = (uint64_t)1000 * 1000 * 1000; /* about 11 days: no deadline to speak of */
    }
    deadline.tv_sec += (time_t)(timeout_ms / 1000);
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }

    active_call me = {.id = call_id, .next = NULL};
    atomic_init(&me.cancelled, 0);
    pthread_mutex_lock(&inst->lock);
    me.next = inst->active;
    inst->active = &me;
    pthread_mutex_unlock(&inst->lock);

    simpul_buffer payload = {0};
    simpul_status status;
    if (timeout_ms == 0) {
        payload = text("no time left for this call");
        status = SIMPUL_STATUS_TIMEOUT;
    } else {
        status = answer(inst, &me, request, request_len, &deadline, &payload);
    }

    /* Unlink before completing: a cancel that comes later finds nothing, as it should. */
    pthread_mutex_lock(&inst->lock);
    for (active_call **p = &inst->active; *p != NULL; p = &(*p)->next) {
        if (*p == &me) {
            *p = me.next;
            break;
        }
    }
    pthread_mutex_unlock(&inst->lock);
    say(host, call_id, SIMPUL_LOG_DEBUG, "answered with status %u (%zu bytes)", (unsigned)status,
        payload.len);
    host->complete(host->context, call_id, status, payload);
}

static void lpk_cancel(void *instance_ptr, uint64_t call_id) {
    instance *inst = instance_ptr;
    pthread_mutex_lock(&inst->lock);
    for (active_call *a = inst->active; a != NULL; a = a->next) {
        if (a->id == call_id) {
            atomic_store(&a->cancelled, 1);
        }
    }
    pthread_mutex_unlock(&inst->lock);
}

static void lpk_destroy(void *instance_ptr) {
    instance *inst = instance_ptr;
    say(inst->host, 0, SIMPUL_LOG_INFO, "closing the LPK directory");
    lpk_directory_free(&inst->dir);
    pthread_mutex_destroy(&inst->lock);
    free(inst);
}

/* ---- The entry symbol ----------------------------------------------------------------- */

static const simpul_functions FUNCTIONS = {
    .size = sizeof(simpul_functions),
    .reserved = 0,
    .create = lpk_create,
    .call = lpk_call,
    .cancel = lpk_cancel,
    .destroy = lpk_destroy,
};

static const simpul_plugin_header HEADER = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .aborts_on_panic = 0,
    .reserved = {0},
    .manifest = (const uint8_t *)MANIFEST,
    .manifest_len = sizeof MANIFEST - 1,
    .functions = &FUNCTIONS,
};

LPK_EXPORT const simpul_plugin_header *simpul_plugin_entry(void) {
    return &HEADER;
}

/*
 * leaky_text.c: a plugin that keeps personal data out of its records unless asked
 * (includePii), as it must, but writes it where operators read: a NIK and a name in a log
 * line, a phone number in a record's warning, a name in a rejected row's reason. The host
 * passes all of it on; the conformance suite (`simpul adapter test`) must find each, in its
 * personal-data scans only: everything else this plugin does is right (it serves two
 * participants, declares no capability, and evaluates the constant filters any plugin may
 * receive).
 */
#include "zoo_common.h"

#define LEAKY_MANIFEST                                                                      \
    "{\"name\":\"simpul-czoo-leaky-text\",\"version\":\"0.1.0\","                          \
    "\"provider\":{\"key\":\"czoo\",\"name\":\"C zoo (test provider)\",\"kind\":\"OTHER\","  \
    "\"sourceKind\":\"OTHER\",\"contractVersion\":\"0\"},"                                  \
    "\"capabilities\":{\"collections\":{\"participants\":{\"filterOperators\":[],"          \
    "\"orderBy\":false,\"paging\":false,\"lookupById\":false}},\"aggregates\":[]},"         \
    "\"encodings\":[\"json\"],\"configSchema\":{\"type\":\"object\"}}"

/* The phone number leaks into this warning (its record's own pii.phone). */
#define WARNING                                                                             \
    "{\"code\":\"PHONE_INVALID\",\"field\":null,"                                           \
    "\"message\":\"phone 081234567890 has too many digits\"}"

#define PERSON(ID, WARNINGS, PII)                                                           \
    "{\"sourceId\":\"" ID "\",\"warnings\":[" WARNINGS "],\"nikMasked\":null,"              \
    "\"nikValid\":true,\"personKey\":null,\"kpjMasked\":null,\"sex\":null,"                 \
    "\"birthYear\":1990,\"isMinor\":false,\"domicileRegencyCode\":\"36.03\","               \
    "\"education\":null,\"employmentStatusAtRegistration\":null,"                           \
    "\"unionMembership\":null,\"pii\":" PII "}"

#define PII_1                                                                               \
    "{\"nik\":\"3602134507900001\",\"fullName\":\"Siti Rahmawati\","                        \
    "\"phone\":\"+6281234567890\"}"
#define PII_2 "{\"nik\":\"3603114101850002\",\"fullName\":\"Budi Santoso\"}"

#define ANSWER(P1, P2, N)                                                                   \
    "{\"kind\":\"query\",\"body\":{\"records\":{\"collection\":\"participants\","           \
    "\"records\":[" P1 P2 "]},\"totalCount\":" N "}}"

/* The name of the second participant leaks into this reason. */
#define STATUS                                                                              \
    "{\"kind\":\"status\",\"body\":{\"dataAsOf\":null,"                                     \
    "\"recordCounts\":{\"participants\":2},\"rejected\":[{\"code\":\"DUPLICATE_KEY\","      \
    "\"source\":\"peserta.csv\",\"line\":3,\"key\":\"P-2\","                                \
    "\"reason\":\"Budi Santoso is listed twice\"}],\"warnings\":1}}"

/* Whether `needle` occurs in the request bytes. */
static int has(const uint8_t *bytes, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(bytes + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A reader of the constant filter trees ({"and":[…]}, {"or":[…]}, {"not":…}): 1 holds,
 * 0 does not, -1 anything else (a comparison, which this plugin does not declare). */
typedef struct {
    const uint8_t *p;
    const uint8_t *end;
} reader;

static void skip_space(reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')) {
        r->p++;
    }
}

static int take(reader *r, const char *word) {
    size_t n = strlen(word);
    skip_space(r);
    if ((size_t)(r->end - r->p) >= n && memcmp(r->p, word, n) == 0) {
        r->p += n;
        return 1;
    }
    return 0;
}

static int filter(reader *r, int depth);

/* A list of filters: all hold (`all`) or any holds. */
static int list(reader *r, int all, int depth) {
    int result = all;
    if (!take(r, "[")) {
        return -1;
    }
    if (take(r, "]")) {
        return result;
    }
    do {
        int part = filter(r, depth + 1);
        if (part < 0) {
            return -1;
        }
        result = all ? (result && part) : (result || part);
    } while (take(r, ","));
    return take(r, "]") ? result : -1;
}

static int filter(reader *r, int depth) {
    int result;
    if (depth > 64 || !take(r, "{")) {
        return -1;
    }
    if (take(r, "\"and\"") && take(r, ":")) {
        result = list(r, 1, depth);
    } else if (take(r, "\"or\"") && take(r, ":")) {
        result = list(r, 0, depth);
    } else if (take(r, "\"not\"") && take(r, ":")) {
        result = filter(r, depth + 1);
        result = result < 0 ? -1 : !result;
    } else {
        return -1;
    }
    return (result >= 0 && take(r, "}")) ? result : -1;
}

/* Whether the request's filter holds (1), does not (0), or cannot be evaluated (-1). */
static int request_filter(const uint8_t *request, size_t len) {
    static const char key[] = "\"filter\":";
    size_t n = sizeof key - 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(request + i, key, n) == 0) {
            reader r = {request + i + n, request + len};
            if (take(&r, "null")) {
                return 1;
            }
            return filter(&r, 0);
        }
    }
    return 1;
}

static simpul_status leaky_create(const simpul_host *host, const uint8_t *config,
                                  size_t config_len, void **out_instance,
                                  simpul_buffer *out_error) {
    simpul_status status = zoo_create(host, config, config_len, out_instance, out_error);
    if (status == SIMPUL_STATUS_OK) {
        zoo_log(host, 0, SIMPUL_LOG_WARN,
                "rejected peserta.csv:3: NIK 3602134507900001 (Siti Rahmawati) is listed twice");
    }
    return status;
}

static void leaky_call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                       size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    simpul_status status = SIMPUL_STATUS_OK;
    simpul_buffer answer;
    int holds = request_filter(request, request_len);
    if (zoo_is_status_request(request, request_len)) {
        answer = zoo_text(STATUS);
    } else if (holds < 0) {
        status = SIMPUL_STATUS_ERROR;
        answer = zoo_text("{\"code\":\"UNSUPPORTED\",\"message\":\"only constant filters\"}");
    } else if (!holds) {
        answer = zoo_text(ANSWER("", "", "0"));
    } else if (has(request, request_len, "\"includePii\":true")) {
        answer = zoo_text(ANSWER(PERSON("P-1", WARNING, PII_1) ",", PERSON("P-2", "", PII_2), "2"));
    } else {
        answer = zoo_text(ANSWER(PERSON("P-1", WARNING, "null") ",", PERSON("P-2", "", "null"), "2"));
    }
    instance->host->complete(instance->host->context, call_id, status, answer);
}

ZOO_FUNCTIONS(functions, leaky_create, leaky_call, zoo_cancel, zoo_destroy);

static const char manifest[] = LEAKY_MANIFEST;
static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .aborts_on_panic = 0,
    .reserved = {0},
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};
const simpul_plugin_header *simpul_plugin_entry(void) { return &header; }

/*
 * wrong_filter.c: a plugin that declares the `eq` operator on trainingCenters but ignores every
 * filter: each query gets all three of its centres. The host cannot tell (every answer is
 * well-formed), and a gateway trusting the declaration would serve wrong data; the conformance
 * suite (`simpul adapter test`) must catch it, in its filter checks only: everything else this
 * plugin does (listing, status, deadlines, personal data) is right.
 */
#include "zoo_common.h"

#define WRONG_FILTER_MANIFEST                                                               \
    "{\"name\":\"simpul-czoo-wrong-filter\",\"version\":\"0.1.0\","                        \
    "\"provider\":{\"key\":\"czoo\",\"name\":\"C zoo (test provider)\",\"kind\":\"OTHER\","  \
    "\"sourceKind\":\"OTHER\",\"contractVersion\":\"0\"},"                                  \
    "\"capabilities\":{\"collections\":{\"trainingCenters\":{\"filterOperators\":[\"eq\"],"  \
    "\"orderBy\":false,\"paging\":false,\"lookupById\":false}},\"aggregates\":[]},"         \
    "\"encodings\":[\"json\"],\"configSchema\":{\"type\":\"object\"}}"

/* One training centre (fields of the unified model, in its order). */
#define CENTRE(ID, NAME, TYPE, REGION, ACTIVE)                                              \
    "{\"sourceId\":\"" ID "\",\"warnings\":[],\"name\":\"" NAME "\",\"alternateNames\":[],"  \
    "\"institutionType\":\"" TYPE "\",\"sector\":null,\"supervisorId\":null,"               \
    "\"address\":{\"streetAddress\":null,\"regionCode\":\"" REGION "\"},"                   \
    "\"foundedYear\":null,\"areaHectares\":null,\"facilities\":[],\"fields\":[],"           \
    "\"licenses\":[],\"yearsOfExperience\":null,\"contact\":null,\"active\":" ACTIVE "}"

/* The answer to every query, whatever its filter. */
#define ALL_CENTRES                                                                         \
    "{\"kind\":\"query\",\"body\":{\"records\":{\"collection\":\"trainingCenters\","        \
    "\"records\":["                                                                         \
    CENTRE("CZOO-TC-01", "BLK Komunitas Zoo Cikupa", "BLKK", "36.03.18", "true") ","        \
    CENTRE("CZOO-TC-02", "LPK Zoo Balaraja", "LPK", "36.03.12", "true") ","                 \
    CENTRE("CZOO-TC-03", "LKP Zoo Tigaraksa", "LKP", "36.03.01", "false")                   \
    "]},\"totalCount\":3}}"

#define STATUS                                                                              \
    "{\"kind\":\"status\",\"body\":{\"dataAsOf\":null,"                                     \
    "\"recordCounts\":{\"trainingCenters\":3},\"rejected\":[],\"warnings\":0}}"

static void wrong_call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                       size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    simpul_buffer answer = zoo_is_status_request(request, request_len) ? zoo_text(STATUS)
                                                                       : zoo_text(ALL_CENTRES);
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK, answer);
}

ZOO_FUNCTIONS(functions, zoo_create, wrong_call, zoo_cancel, zoo_destroy);

static const char manifest[] = WRONG_FILTER_MANIFEST;
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

/*
 * newer_manifest.c: a healthy v1.0 plugin whose manifest a newer minor might write: a field
 * the host does not know ("futureField"), a filter operator it does not know ("regex"), a
 * source kind it does not know ("GRAPH_DATABASE"), a provider kind it does not know
 * ("COOPERATIVE") and a collection it does not know ("assessors"), next to what it does know.
 * The host must load it, say what it ignored (manifest_warnings()), and serve trainingCenters.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] =
    "{\"name\":\"simpul-czoo-newer_manifest\",\"version\":\"0.1.0\","
    "\"provider\":{\"key\":\"czoo\",\"name\":\"C zoo (test provider)\","
    "\"kind\":\"COOPERATIVE\",\"sourceKind\":\"GRAPH_DATABASE\",\"contractVersion\":\"0\"},"
    "\"capabilities\":{\"collections\":{"
    "\"trainingCenters\":{\"filterOperators\":[\"eq\",\"regex\"],"
    "\"orderBy\":false,\"paging\":false,\"lookupById\":false,\"futureCapability\":true},"
    "\"assessors\":{\"filterOperators\":[],\"orderBy\":false,\"paging\":false,"
    "\"lookupById\":false}},\"aggregates\":[]},"
    "\"encodings\":[\"json\",\"future-binary\"],\"configSchema\":{\"type\":\"object\"},"
    "\"futureField\":{\"anything\":[1,2,3]}}";

static const simpul_plugin_header header = {
    .magic = SIMPUL_MAGIC_BYTES,
    .abi_major = SIMPUL_ABI_MAJOR,
    .abi_minor = SIMPUL_ABI_MINOR,
    .header_size = sizeof(simpul_plugin_header),
    .manifest = (const uint8_t *)manifest,
    .manifest_len = sizeof manifest - 1,
    .functions = &functions,
};

const simpul_plugin_header *simpul_plugin_entry(void) { return &header; }

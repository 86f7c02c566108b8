/*
 * no_json_encoding.c: a healthy plugin whose manifest declares only an encoding the host does
 * not speak ("encodings":["msgpack"]). Host and plugin share no message format, so the host
 * refuses the library with PluginError::BadManifest.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);

static const char manifest[] =
    "{\"name\":\"simpul-czoo-no_json_encoding\",\"version\":\"0.1.0\","
    "\"provider\":{\"key\":\"czoo\",\"name\":\"C zoo (test provider)\",\"kind\":\"OTHER\","
    "\"sourceKind\":\"OTHER\",\"contractVersion\":\"0\"},"
    "\"capabilities\":{\"collections\":{\"trainingCenters\":{\"filterOperators\":[],"
    "\"orderBy\":false,\"paging\":false,\"lookupById\":false}},\"aggregates\":[]},"
    "\"encodings\":[\"msgpack\"],\"configSchema\":{\"type\":\"object\"}}";

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

/*
 * no_json_encoding.c: a healthy plugin whose manifest declares only an encoding the host does
 * not speak ("encodings":["msgpack"]). Host and plugin share no message format, so the host
 * refuses the library with PluginError::BadManifest.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN_WITH("no_json_encoding", functions, "[\"msgpack\"]")

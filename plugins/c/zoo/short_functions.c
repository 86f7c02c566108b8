/*
 * short_functions.c: a valid header whose function table says it is 16 bytes long
 * (functions.size < SIMPUL_FUNCTIONS_SIZE_V1_0): only `size`, `reserved` and `create` would be
 * there. The host must check the table's size before it reads a slot and refuse with
 * PluginError::BadHeader.
 */
#include "zoo_common.h"

static const simpul_functions functions = {
    .size = 16,
    .create = zoo_create,
    .call = zoo_call,
    .cancel = zoo_cancel,
    .destroy = zoo_destroy,
};

ZOO_PLUGIN("short_functions", functions)

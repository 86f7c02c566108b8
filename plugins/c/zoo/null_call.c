/*
 * null_call.c: the required slot `call` is NULL (everything else is healthy). Calling it would
 * jump to address 0. The host must check the table at load and refuse the library with
 * PluginError::BadHeader naming the slot, before `create` runs.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, NULL, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("null_call", functions)

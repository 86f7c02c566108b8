/*
 * healthy.c: nothing wrong. The baseline the other zoo cases break one thing of, and the
 * "other provider" that must stay fast while a neighbour misbehaves (blocking.c).
 * The host must load it and serve every call.
 */
#include "zoo_common.h"

ZOO_FUNCTIONS(functions, zoo_create, zoo_call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("healthy", functions)

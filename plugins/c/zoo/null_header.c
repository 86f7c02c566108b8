/*
 * null_header.c: the entry symbol returns NULL (a plugin whose initialisation failed and that
 * has nothing to say). The host must refuse with PluginError::BadHeader, not dereference it.
 */
#include "simpul_plugin.h"

const simpul_plugin_header *simpul_plugin_entry(void) { return NULL; }

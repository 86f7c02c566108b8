/*
 * simpul_plugin.h: the Simpul plugin ABI, version 1.2.
 *
 * This header is the contract between the Simpul gateway (the host) and an adapter plugin
 * (the guest), a dynamic library that exports one symbol, `simpul_plugin_entry`. It is the
 * source of truth: the Rust definitions in `plugins/src/abi.rs` are checked against it by a
 * test that compiles C against this file and compares sizes and offsets.
 *
 * Read `plugins/docs/abi.md` for the protocol: who calls what from which thread, how long
 * every buffer lives, the payload of each status, the JSON messages (with their JSON Schema
 * in `plugins/schema/`), the versioning rules and what the host does when a plugin breaks
 * them. `plugins/c/` holds an adapter written in C against this header alone.
 *
 * Rules that hold everywhere:
 * - All strings are UTF-8 and carry their length; none is NUL-terminated.
 * - Whoever allocates a buffer frees it, through the buffer's own `release`.
 * - Every struct starts with (or contains) its size as built, so a newer minor can append
 *   fields; a reader copies min(its size, the stated size) bytes and zero-fills the rest.
 *   A zero (or NULL) field therefore always means "absent / default".
 */
#ifndef SIMPUL_PLUGIN_H
#define SIMPUL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first eight bytes of every header: "SIMPUL", NUL, 0x01. */
#define SIMPUL_MAGIC_BYTES { 'S', 'I', 'M', 'P', 'U', 'L', 0, 1 }
/* Incompatible changes bump the major; the host loads only plugins of its own major. */
#define SIMPUL_ABI_MAJOR 1
/* Compatible additions (fields appended to a struct, new statuses, new message fields).
 * 1.1: the MessagePack encoding, negotiated through the manifest's "encodings" and
 * HostInfo "encoding" (plugins/docs/abi.md, section 8.4). 1.2: projections (QueryRequest
 * "fields"). 1.3: QueryRequest "requestId", the gateway request a call serves (section 8.3):
 * a plugin may ignore it. */
#define SIMPUL_ABI_MINOR 3
/* The one symbol a plugin exports. */
#define SIMPUL_ENTRY_SYMBOL "simpul_plugin_entry"

/* Sizes of the ABI 1.0 structs on a 64-bit target. They never change within major 1: a
 * later minor appends fields, so its structs are larger, never smaller. */
#define SIMPUL_HEADER_SIZE_V1_0 48
#define SIMPUL_FUNCTIONS_SIZE_V1_0 40
#define SIMPUL_HOST_SIZE_V1_0 48

/* ---- Statuses ------------------------------------------------------------------------- */

/* How a call (or create) ended. A plain integer: the host treats a value it does not know as
 * a fault of the adapter, never as success. The payload each status carries: */
typedef uint32_t simpul_status;
#define SIMPUL_STATUS_OK 0          /* the JSON response message (AdapterResponse)         */
#define SIMPUL_STATUS_ERROR 1       /* a JSON AdapterError {"code": ..., "message": ...}    */
#define SIMPUL_STATUS_PANIC 2       /* UTF-8 text; the instance is now poisoned             */
#define SIMPUL_STATUS_POISONED 3    /* UTF-8 text; the instance refuses every call          */
#define SIMPUL_STATUS_CANCELLED 4   /* empty or UTF-8 text; the host cancelled the call     */
#define SIMPUL_STATUS_TIMEOUT 5     /* empty or UTF-8 text; the call ran past timeout_ms    */
#define SIMPUL_STATUS_BAD_REQUEST 6 /* UTF-8 text; the request bytes were not understood   */

/* Log levels for simpul_host.log. */
#define SIMPUL_LOG_ERROR 1
#define SIMPUL_LOG_WARN 2
#define SIMPUL_LOG_INFO 3
#define SIMPUL_LOG_DEBUG 4

/* ---- Buffers -------------------------------------------------------------------------- */

/* Bytes handed from one side to the other. The receiver reads `ptr`/`len`, then calls
 * `release(buffer)` exactly once, from any thread; `release` frees the bytes and sets itself
 * to NULL. A NULL `release` means there is nothing to free (an empty or static buffer); `ptr`
 * may be NULL when `len` is 0. Buffers travel by value, so `release` receives a pointer to the
 * receiver's copy of the struct: find the allocation through `private_data` (which belongs
 * to the allocator) or `ptr`, never through the struct's address. (The Arrow C data
 * interface convention.) */
typedef struct simpul_buffer {
    const uint8_t *ptr;
    size_t len;
    void *private_data;
    void (*release)(struct simpul_buffer *buffer);
} simpul_buffer;

/* ---- What the host gives a plugin ----------------------------------------------------- */

/* The host, as a plugin sees it. Passed to `create`; the struct, `info` and `context` stay
 * valid for the life of the process (after `destroy` too), so a plugin thread that is still
 * running may log or complete at any time without touching freed memory. */
typedef struct simpul_host {
    /* sizeof(simpul_host) as the host was built (at least SIMPUL_HOST_SIZE_V1_0). */
    uint32_t size;
    /* The host's ABI version. A plugin may refuse a host whose major is not its own. */
    uint16_t abi_major;
    uint16_t abi_minor;
    /* UTF-8 JSON HostInfo: the gateway's name and version, the ABI version, the message
     * encodings the host speaks (["json"]), the largest payload it accepts
     * ("maxPayloadBytes") and how many threads may be inside `call` at once per instance
     * ("callThreads"). Unknown fields must be ignored. */
    const uint8_t *info;
    size_t info_len;
    /* Opaque; pass it back to `log` and `complete`. */
    void *context;
    /* Write a log line. `call_id` is the call the line is about (0: none), so the host can
     * attach the request's id; the message is borrowed for the duration of this function
     * only. Any thread, any time, never blocks for long. Never log personal data. */
    void (*log)(void *context, uint64_t call_id, uint32_t level, const uint8_t *message,
                size_t message_len);
    /* Finish call `call_id` with `status` and `payload` (whose ownership passes to the host,
     * which releases it). Call it exactly once per call, from any thread, possibly before
     * `call` has returned. A second completion for the same id or one for an id the host
     * never issued is a mistake the host survives: it releases the payload and counts it
     * (stray completions). A completion for a call the host has given up on (past its
     * deadline, cancelled, destroyed) is expected: released and counted as late. A payload
     * larger than maxPayloadBytes is released unread and fails the call. */
    void (*complete)(void *context, uint64_t call_id, simpul_status status,
                     simpul_buffer payload);
} simpul_host;

/* ---- What a plugin gives the host ----------------------------------------------------- */

/* The plugin's functions. `create` and `call` are required; `cancel` and `destroy` may be
 * NULL (the host then lets calls run to their own end, and never frees the instance). */
typedef struct simpul_functions {
    /* sizeof(simpul_functions) as the plugin was built (at least SIMPUL_FUNCTIONS_SIZE_V1_0). */
    uint32_t size;
    /* Zero. */
    uint32_t reserved;
    /* Build an instance from the JSON config (already validated against the manifest's
     * configSchema; the bytes are valid only during this function). May block: the host
     * calls it from a thread of its own. The host sets *out_instance = NULL and *out_error to
     * an empty buffer before the call, and releases *out_error whatever the status. On success
     * write the instance to *out_instance and return SIMPUL_STATUS_OK; otherwise fill
     * *out_error (a JSON AdapterError, or text), free what you built (the host never calls
     * `destroy` after a failed `create`) and return SIMPUL_STATUS_ERROR. */
    simpul_status (*create)(const simpul_host *host, const uint8_t *config, size_t config_len,
                            void **out_instance, simpul_buffer *out_error);
    /* Start call `call_id` (never 0, never reused) with a JSON request message. The request
     * bytes are valid only until `call` returns; copy what you keep. Answer through
     * host->complete. Called from the host's dispatch threads, up to HostInfo.callThreads at
     * once for one instance; it should return quickly, but blocking here delays only this
     * plugin's own calls. `timeout_ms` (at least 1) is what remains of the caller's
     * deadline; the host stops waiting then (plus 100 ms) whatever the plugin does, so
     * enforce it yourself rather than rely on `cancel`. */
    void (*call)(void *instance, uint64_t call_id, const uint8_t *request, size_t request_len,
                 uint64_t timeout_ms);
    /* Ask call `call_id` to stop; it should then complete with SIMPUL_STATUS_CANCELLED (or
     * not at all: the host has stopped waiting). Ids that are unknown or already finished
     * must be ignored. Best effort: it is queued to the same dispatch threads as calls (so it
     * waits while they are all inside `call`, and is dropped when the queue is full), and may
     * run concurrently with the same call's `call` and with completions. May be NULL. */
    void (*cancel)(void *instance, uint64_t call_id);
    /* Free the instance. Called once, after every `call` on it has returned; completions
     * that arrive afterwards are ignored by the host. May block. May be NULL. */
    void (*destroy)(void *instance);
} simpul_functions;

/* The static description a plugin returns from its entry symbol. Must be 8-byte aligned and
 * live, unchanged, for the life of the process, as must the manifest and functions. */
typedef struct simpul_plugin_header {
    /* SIMPUL_MAGIC_BYTES. */
    uint8_t magic[8];
    /* SIMPUL_ABI_MAJOR and SIMPUL_ABI_MINOR as the plugin was built. */
    uint16_t abi_major;
    uint16_t abi_minor;
    /* sizeof(simpul_plugin_header) as the plugin was built (at least SIMPUL_HEADER_SIZE_V1_0). */
    uint32_t header_size;
    /* 1 if an internal error in the plugin aborts the process (Rust with panic = "abort");
     * the host refuses such a plugin. C plugins write 0. */
    uint8_t aborts_on_panic;
    /* Zero. */
    uint8_t reserved[7];
    /* UTF-8 JSON Manifest: name, version, provider, capabilities, encodings (must include
     * "json"), configSchema. */
    const uint8_t *manifest;
    size_t manifest_len;
    /* The function table (8-byte aligned). */
    const simpul_functions *functions;
} simpul_plugin_header;

/* The entry symbol. Called once, before anything else; must not block. */
const simpul_plugin_header *simpul_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* SIMPUL_PLUGIN_H */

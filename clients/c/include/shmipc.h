/*
 * shmipc C client: calls a Java shmipc server on the same host through shared memory.
 *
 * C11, Linux x86_64 and aarch64, libc and pthreads only. Speaks docs/PROTOCOL.md.
 *
 *     shmipc_client *client;
 *     shmipc_error err;
 *     if (shmipc_client_new("orders", NULL, NULL, &client, &err) != SHMIPC_OK) { ... }
 *     shmipc_request req = { .route = "echo", .payload = "hi", .payload_len = 2, .timeout_ms = 1000 };
 *     shmipc_reply reply;
 *     if (shmipc_call(client, &req, &reply, &err) == SHMIPC_OK) {
 *         fwrite(reply.data, 1, reply.len, stdout);
 *         shmipc_reply_free(&reply);
 *     } else {
 *         fprintf(stderr, "%s: %s\n", shmipc_status_name(err.status), err.message);
 *     }
 *     shmipc_client_close(client);
 *
 * Threads: one client may be shared by any number of threads; shmipc_call is thread-safe.
 * shmipc_client_close must not run concurrently with calls on the same client.
 */
#ifndef SHMIPC_H
#define SHMIPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Result of every function. The negative codes match the Java client's exceptions; see
 * docs/PROTOCOL.md section 8 for whether the request ran. For SHMIPC_E_TIMEOUT and
 * SHMIPC_E_UNAVAILABLE also look at shmipc_error.outcome_unknown.
 */
typedef enum shmipc_status {
    SHMIPC_OK = 0,
    /** Bad argument (name, route, headers, timeout, NULL pointer). Nothing was sent. (IllegalArgumentException) */
    SHMIPC_E_INVALID_ARGUMENT = -1,
    /** No live server, it is stopping, or it went away during the call. (ShmServerUnavailableException) */
    SHMIPC_E_UNAVAILABLE = -2,
    /** No reply in time. (ShmTimeoutException) */
    SHMIPC_E_TIMEOUT = -3,
    /** The handler threw; remote_type and message say what. It ran. (ShmRemoteException) */
    SHMIPC_E_REMOTE = -4,
    /** The server has no handler for the route. (ShmNoHandlerException) */
    SHMIPC_E_NO_HANDLER = -5,
    /** The request (not sent) or the reply (it ran) does not fit a slot. (ShmPayloadTooLargeException) */
    SHMIPC_E_PAYLOAD_TOO_LARGE = -6,
    /** Malformed request, another layout version, or shared memory corrupted under the call. (ShmProtocolException) */
    SHMIPC_E_PROTOCOL = -7,
    /** The OS refused something (out of memory, permission, too many files); errno_value says what. */
    SHMIPC_E_SYSTEM = -8
} shmipc_status;

/** What went wrong, filled by every function that fails (when its err argument is not NULL). */
typedef struct shmipc_error {
    shmipc_status status;
    /**
     * 1 when the request may or may not have run (the server had started it when the call gave up,
     * or the server died while processing it); 0 when it certainly did not run or certainly ran.
     */
    int outcome_unknown;
    /** SHMIPC_E_REMOTE: the remote exception's class name; else empty. */
    char remote_type[256];
    /** What happened and what to do; for SHMIPC_E_REMOTE, the remote exception's message. */
    char message[512];
    /** SHMIPC_E_REMOTE: the application's error code (reply header "shmipc-error-code"), else empty. */
    char error_code[256];
    /** SHMIPC_E_PAYLOAD_TOO_LARGE: 1 for the request, 2 for the reply; size and capacity in bytes (size -1 if unknown). */
    int too_large_which;
    int64_t too_large_size;
    int64_t too_large_capacity;
    /** SHMIPC_E_SYSTEM (and some SHMIPC_E_UNAVAILABLE): the errno seen, else 0. */
    int errno_value;
} shmipc_error;

/** Optional settings; pass NULL for the defaults (the Java client's defaults). */
typedef struct shmipc_options {
    /** How often the client re-checks the server while waiting; 0 = 250 ms. The server's own period wins if longer. */
    uint32_t liveness_interval_ms;
    /** Silence after which a server counts as dead; 0 = 1000 ms. At least 2 liveness intervals. */
    uint32_t liveness_timeout_ms;
    /** Spin before sleeping on a reply, in microseconds; 0 = 100 us, UINT32_MAX = never spin. */
    uint32_t spin_us;
} shmipc_options;

/** One request/response header (UTF-8, key 1..255 bytes). */
typedef struct shmipc_header {
    const char *key;
    const char *value;
} shmipc_header;

/** One call. */
typedef struct shmipc_request {
    /** NUL-terminated valid UTF-8, 1..128 bytes. */
    const char *route;
    /** May be NULL when header_count is 0. At most 320 bytes encoded in all. */
    const shmipc_header *headers;
    size_t header_count;
    /** May be NULL when payload_len is 0. */
    const void *payload;
    size_t payload_len;
    /** How long to wait for the reply, in milliseconds; must be > 0. */
    uint32_t timeout_ms;
} shmipc_request;

/**
 * A reply. data is malloc-ed, NUL-terminated after len bytes for convenience; headers are the reply
 * headers a handler set (NUL-terminated UTF-8, in the order sent), header_count of them, NULL when none.
 * Free it all with shmipc_reply_free.
 */
typedef struct shmipc_reply {
    uint8_t *data;
    size_t len;
    shmipc_header *headers;
    size_t header_count;
} shmipc_reply;

typedef struct shmipc_client shmipc_client;

/**
 * Creates a client for a name. Does no I/O beyond validating its arguments: the first call (or
 * shmipc_client_connect) maps the region, and the client reconnects by itself after a server
 * restart.
 *
 * @param name the shmipc name: 1..100 of [A-Za-z0-9._-], not starting with '.', no "..", not ending in ".lock"
 * @param directory the server's region directory; NULL = "/dev/shm" (the Java default on Linux). A Java
 *        server without /dev/shm uses <java.io.tmpdir>/shmipc: pass that path (usually "/tmp/shmipc").
 * @param options NULL for defaults
 * @param out receives the client
 * @param err receives the error, may be NULL
 */
shmipc_status shmipc_client_new(const char *name, const char *directory, const shmipc_options *options,
                                shmipc_client **out, shmipc_error *err);

/**
 * Connects now instead of on the first call, to fail fast.
 * @return SHMIPC_E_UNAVAILABLE when no live server serves the name; SHMIPC_E_PROTOCOL for another layout
 */
shmipc_status shmipc_client_connect(shmipc_client *client, shmipc_error *err);

/**
 * Calls a route and waits for its reply. Thread-safe. Never waits much longer than the timeout; fails
 * within about the liveness timeout when the server dies.
 *
 * @param reply receives the reply on SHMIPC_OK (free it with shmipc_reply_free); zeroed otherwise
 * @return SHMIPC_OK or a negative shmipc_status; err says more
 */
shmipc_status shmipc_call(shmipc_client *client, const shmipc_request *request, shmipc_reply *reply,
                          shmipc_error *err);

/** Frees a reply's data and headers; safe on a zeroed reply and twice. */
void shmipc_reply_free(shmipc_reply *reply);

/** Unmaps the region, drops the client registration and frees the client. NULL is ignored. */
void shmipc_client_close(shmipc_client *client);

/** @return the constant's name, e.g. "SHMIPC_E_TIMEOUT" */
const char *shmipc_status_name(shmipc_status status);

#ifdef __cplusplus
}
#endif

#endif

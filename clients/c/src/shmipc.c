/*
 * shmipc C client: the client side of docs/PROTOCOL.md.
 *
 * Structure (mirrors shmipc-core's ShmClient / ClientConnection / ServerLiveness):
 *   shmipc_client   one per name; holds the current connection and replaces it when the server's region
 *                   is retired (CLOSED, or a new file took its path), so calls resume after a restart.
 *   connection      one mapping of one region file, with this process's registration lock on that file;
 *                   reference counted, so a retired mapping is unmapped only after its last call ends.
 *   liveness        the client's judgement of the server: heartbeat counter plus /proc where visible.
 *
 * Memory ordering: every access the protocol calls SC uses __atomic_* with __ATOMIC_SEQ_CST. Each
 * sleep/wake decision is a Dekker pair (store, then load of the other side's location) and needs the
 * full fence SC gives between the two; release/acquire would allow both loads to see old values and
 * lose a wake-up (PROTOCOL.md section 5.1). Plain slot fields are written with relaxed atomics (plain
 * code on x86_64 and aarch64) and published by the SC CAS of the state word that hands the slot over.
 */
#define _GNU_SOURCE
#include "shmipc.h"

#include "layout.h"
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_MS 250
#define DEFAULT_TIMEOUT_MS 1000
#define DEFAULT_SPIN_US 100
#define MAX_NAME 100

/* ------------------------------------------------------------------------------------------------ */
/* Shared-memory access                                                                              */

static inline uint32_t *u32_at(uint8_t *base, uint64_t offset) { return (uint32_t *)(void *)(base + offset); }
static inline int32_t *i32_at(uint8_t *base, uint64_t offset) { return (int32_t *)(void *)(base + offset); }
static inline int64_t *i64_at(uint8_t *base, uint64_t offset) { return (int64_t *)(void *)(base + offset); }

static inline uint32_t load_sc(uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline int32_t load_sc_i32(int32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline int64_t load_sc_i64(int64_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void store_sc_i32(int32_t *p, int32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline int cas_sc(uint32_t *p, uint32_t expected, uint32_t desired)
{
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
/*
 * The owned state (PROTOCOL.md section 3): the u64 at slot offset 0, state word in the low half and owner
 * index in the high half. A claim and every release change both in one SC CAS; other transitions CAS the
 * u32 state word alone (same address, naturally aligned: both are single-copy atomic on x86-64 and aarch64).
 */
static inline uint64_t *owned_at(uint8_t *slot) { return (uint64_t *)(void *)(slot + S_OWNED_STATE); }
static inline uint64_t owned(uint32_t word, int32_t owner) { return (uint64_t)(uint32_t)owner << 32 | word; }
static inline int cas_sc_u64(uint64_t *p, uint64_t expected, uint64_t desired)
{
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
/* "Plain" protocol fields: ordered by the state word's SC CAS; relaxed atomics only keep the C compiler honest. */
static inline int32_t plain_get_i32(uint8_t *p) { return __atomic_load_n((int32_t *)(void *)p, __ATOMIC_RELAXED); }
static inline int64_t plain_get_i64(uint8_t *p) { return __atomic_load_n((int64_t *)(void *)p, __ATOMIC_RELAXED); }
static inline void plain_set_i32(uint8_t *p, int32_t v) { __atomic_store_n((int32_t *)(void *)p, v, __ATOMIC_RELAXED); }
static inline void plain_set_i64(uint8_t *p, int64_t v) { __atomic_store_n((int64_t *)(void *)p, v, __ATOMIC_RELAXED); }

/* ------------------------------------------------------------------------------------------------ */
/* Errors                                                                                            */

static shmipc_status fail(shmipc_error *err, shmipc_status status, int outcome_unknown, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static shmipc_status fail(shmipc_error *err, shmipc_status status, int outcome_unknown, const char *format, ...)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
        err->status = status;
        err->outcome_unknown = outcome_unknown;
        va_list args;
        va_start(args, format);
        vsnprintf(err->message, sizeof(err->message), format, args);
        va_end(args);
    }
    return status;
}

static void clear_error(shmipc_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

const char *shmipc_status_name(shmipc_status status)
{
    switch (status) {
    case SHMIPC_OK: return "SHMIPC_OK";
    case SHMIPC_E_INVALID_ARGUMENT: return "SHMIPC_E_INVALID_ARGUMENT";
    case SHMIPC_E_UNAVAILABLE: return "SHMIPC_E_UNAVAILABLE";
    case SHMIPC_E_TIMEOUT: return "SHMIPC_E_TIMEOUT";
    case SHMIPC_E_REMOTE: return "SHMIPC_E_REMOTE";
    case SHMIPC_E_NO_HANDLER: return "SHMIPC_E_NO_HANDLER";
    case SHMIPC_E_PAYLOAD_TOO_LARGE: return "SHMIPC_E_PAYLOAD_TOO_LARGE";
    case SHMIPC_E_PROTOCOL: return "SHMIPC_E_PROTOCOL";
    case SHMIPC_E_SYSTEM: return "SHMIPC_E_SYSTEM";
    }
    return "SHMIPC_E_UNKNOWN";
}

/* ------------------------------------------------------------------------------------------------ */
/* Process-wide state: request ids, spin budget, own pid namespace                                   */

static pthread_once_t process_once = PTHREAD_ONCE_INIT;
static uint64_t request_id_base;
static uint64_t request_id_counter;
static int spin_budget_max;
static int spinning_threads;
static int64_t own_pid_namespace;

static uint64_t random_u64(void)
{
    uint64_t value = 0;
    if (getrandom(&value, sizeof(value), GRND_NONBLOCK) != (ssize_t)sizeof(value)) {
        value = ((uint64_t)getpid() << 32) ^ (uint64_t)shmipc_mono_ns() ^ (uint64_t)shmipc_wall_ms() << 20;
    }
    return value;
}

/* A forked child gets its own id base, so parent and child never produce the same request id. */
static void reseed_after_fork(void) { request_id_base = random_u64(); }

static int64_t read_pid_namespace(const char *link_path)
{
    char target[64];
    ssize_t n = readlink(link_path, target, sizeof(target) - 1);
    if (n <= 0) {
        return 0;
    }
    target[n] = '\0';
    char *open = strchr(target, '[');
    return open == NULL ? 0 : strtoll(open + 1, NULL, 10);
}

static void process_init(void)
{
    request_id_base = random_u64();
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    /* Never more spinners than cores minus one: two spinners on one core collapse to scheduler slices. */
    spin_budget_max = cpus > 1 ? (int)(cpus - 1) : 0;
    own_pid_namespace = read_pid_namespace("/proc/self/ns/pid");
    pthread_atfork(NULL, NULL, reseed_after_fork);
}

/*
 * Unique across processes (issue 10 makes the Java ids unique too): a random 64-bit base per process
 * plus a counter. The server never interprets the id; the client checks that its reply carries it.
 */
static uint64_t next_request_id(void)
{
    return request_id_base + __atomic_add_fetch(&request_id_counter, 1, __ATOMIC_RELAXED);
}

static int spin_budget_acquire(void)
{
    int current = __atomic_load_n(&spinning_threads, __ATOMIC_RELAXED);
    while (current < spin_budget_max) {
        if (__atomic_compare_exchange_n(&spinning_threads, &current, current + 1, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            return 1;
        }
    }
    return 0;
}

static void spin_budget_release(void) { __atomic_sub_fetch(&spinning_threads, 1, __ATOMIC_ACQ_REL); }

/* One spin step; yields every 128 steps so that a peer on the same CPU runs at once (PROTOCOL.md 5.3). */
static inline void spin_pause(uint32_t step)
{
    if ((step & 127u) == 0) {
        sched_yield();
    } else {
        shmipc_cpu_relax();
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Server liveness (PROTOCOL.md section 7.2; Java ServerLiveness + ProcessIdentity)                  */

enum verdict { V_ALIVE, V_STOPPED, V_DEAD, V_UNKNOWN };

struct liveness {
    int64_t own_interval_ns;
    int64_t own_timeout_ns;
    /* Updated racily by calling threads (relaxed atomics): any interleaving is at most one interval stale. */
    int64_t last_heartbeat;
    int64_t last_change;
    int64_t last_look;
    int64_t last_probe;
    int verdict;
};

/*
 * What the OS says about the recorded server. The text after the last ')' of /proc/<pid>/stat starts
 * with a space: skip it, or every field is off by one and a live server is judged dead.
 */
static enum verdict probe_server(int64_t pid, int64_t start_token, int64_t pid_namespace)
{
    if (pid_namespace == 0 || pid_namespace != own_pid_namespace || pid <= 0 || pid > INT_MAX) {
        return V_UNKNOWN; /* another pid namespace (or unknown): the heartbeat decides alone */
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/%lld/stat", (long long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* Gone. Any other error (EACCES, hidepid) says nothing about the server: let the heartbeat decide. */
        return errno == ENOENT || errno == ESRCH ? V_DEAD : V_UNKNOWN;
    }
    char text[4096];
    ssize_t n = read(fd, text, sizeof(text) - 1);
    int read_errno = errno;
    close(fd);
    if (n <= 0) {
        return n == 0 || read_errno == ESRCH ? V_DEAD : V_UNKNOWN; /* ESRCH: it exited after the open */
    }
    text[n] = '\0';
    char *close_paren = strrchr(text, ')');
    if (close_paren == NULL || close_paren[1] != ' ') {
        return V_UNKNOWN;
    }
    char *fields = close_paren + 2; /* field 3 (state) onwards */
    char state = fields[0];
    if (state == 'Z' || state == 'X') {
        return V_DEAD;
    }
    char *cursor = fields;
    for (int field = 0; field < 19; field++) { /* starttime is the 20th field after ')' (22nd of the line) */
        cursor = strchr(cursor, ' ');
        if (cursor == NULL) {
            return V_UNKNOWN;
        }
        cursor++;
    }
    long long started = strtoll(cursor, NULL, 10);
    if (started != start_token) {
        return V_DEAD; /* the pid now belongs to another process */
    }
    return state == 'T' || state == 't' ? V_STOPPED : V_ALIVE;
}

static enum verdict probe_region_server(uint8_t *base)
{
    return probe_server(load_sc_i64(i64_at(base, H_SERVER_PID)), load_sc_i64(i64_at(base, H_SERVER_START)),
                        load_sc_i64(i64_at(base, H_SERVER_PID_NS)));
}

static void liveness_init(struct liveness *l, uint8_t *base, const shmipc_options *options)
{
    l->own_interval_ns = (int64_t)options->liveness_interval_ms * 1000000;
    l->own_timeout_ns = (int64_t)options->liveness_timeout_ms * 1000000;
    int64_t now = shmipc_mono_ns();
    l->last_heartbeat = load_sc_i64(i64_at(base, H_HEARTBEAT));
    l->last_change = now;
    l->last_look = now;
    l->last_probe = now;
    l->verdict = probe_region_server(base);
}

#define LGET(field) __atomic_load_n(&l->field, __ATOMIC_RELAXED)
#define LSET(field, value) __atomic_store_n(&l->field, (value), __ATOMIC_RELAXED)

/* The longer of the client's interval and the server's advertised heartbeat period. */
static int64_t liveness_interval(struct liveness *l, uint8_t *base)
{
    int64_t advertised = load_sc_i64(i64_at(base, H_SERVER_INTERVAL));
    return advertised > l->own_interval_ns ? advertised : l->own_interval_ns;
}

/* false when the server process is gone, stopped past the timeout, or silent past the timeout */
static int liveness_alive(struct liveness *l, uint8_t *base, int64_t now)
{
    int64_t interval = liveness_interval(l, base);
    int64_t timeout = l->own_timeout_ns > 2 * interval ? l->own_timeout_ns : 2 * interval;
    int64_t heartbeat = load_sc_i64(i64_at(base, H_HEARTBEAT));
    int64_t since_look = now - LGET(last_look);
    if (since_look > interval / 4) {
        LSET(last_look, now); /* coarse on purpose: a write per call would bounce this line between threads */
    }
    if (heartbeat != LGET(last_heartbeat)) {
        LSET(last_heartbeat, heartbeat);
        LSET(last_change, now);
        if (since_look <= 2 * interval) {
            LSET(verdict, V_UNKNOWN);
            return 1; /* watched it move just now */
        }
        LSET(last_probe, now); /* it moved while we were away: it may have died since */
        int verdict = probe_region_server(base);
        LSET(verdict, verdict);
        return verdict != V_DEAD;
    }
    int64_t silent = now - LGET(last_change);
    if (silent >= 2 * interval && now - LGET(last_probe) >= interval) {
        LSET(last_probe, now);
        LSET(verdict, probe_region_server(base));
    }
    switch (LGET(verdict)) {
    case V_ALIVE: return 1;
    case V_DEAD: return 0;
    default: return silent < timeout;
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Connection: one mapping of one region file                                                        */

struct connection {
    int refs; /* one for being the client's current connection, plus one per call in progress */
    int fd;
    uint8_t *base;
    size_t size;
    uint32_t slot_count;
    uint32_t capacity;
    uint64_t stride;
    int32_t registration;
    dev_t dev;
    ino_t ino;
    struct liveness liveness;
};

struct shmipc_client {
    char name[MAX_NAME + 1];
    char path[PATH_MAX];
    shmipc_options options;
    pthread_mutex_t lock;
    struct connection *conn; /* guarded by lock; NULL until the first connect */
};

static inline uint8_t *slot_at(struct connection *c, uint32_t slot)
{
    return c->base + HEADER_SIZE + (uint64_t)slot * c->stride;
}

static void connection_release(struct connection *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        munmap(c->base, c->size);
        close(c->fd); /* drops this connection's registration lock */
        free(c);
    }
}

/*
 * Takes a free registration index: an exclusive lock on byte 2^40 + i of the region file. An
 * open-file-description lock belongs to this descriptor, not to the process, so closing another
 * descriptor of the same file (another client in this process) cannot drop it; it conflicts with the
 * server's POSIX probe just as a POSIX lock does. Kernels without OFD locks get a POSIX lock.
 */
static int release_slot(uint8_t *slot, uint32_t word);
static void slot_freed(struct connection *c);

/*
 * T17 (PROTOCOL.md 4.2): the index was free, so its previous holder is dead or let go, but the server's
 * housekeeper may not have passed yet; once we hold the index, its slots would look like ours forever.
 */
static void release_previous_holder(struct connection *c)
{
    for (uint32_t i = 0; i < c->slot_count; i++) {
        uint8_t *slot = slot_at(c, i);
        uint64_t current = __atomic_load_n(owned_at(slot), __ATOMIC_SEQ_CST);
        if ((int32_t)(current >> 32) != c->registration) {
            continue;
        }
        uint32_t word = (uint32_t)current;
        uint32_t state = word_state(word);
        if (state == ST_CLAIMED || state == ST_REQUEST || state == ST_RESPONSE) {
            if (release_slot(slot, word)) {
                slot_freed(c);
            }
        } else if (state == ST_PROCESSING) {
            cas_sc(u32_at(slot, S_STATE), word, with_state(word, ST_ABANDONED));
        }
    }
}

static shmipc_status register_client(struct connection *c, const char *path, shmipc_error *err)
{
    int command = F_OFD_SETLK;
    uint32_t start = (uint32_t)getpid() % MAX_REGISTRATIONS;
    for (uint32_t k = 0; k < MAX_REGISTRATIONS; k++) {
        uint32_t index = (start + k) % MAX_REGISTRATIONS;
        struct flock lock;
        memset(&lock, 0, sizeof(lock));
        lock.l_type = F_WRLCK; /* exclusive: a read lock would let two clients share an index */
        lock.l_whence = SEEK_SET;
        lock.l_start = REGISTRATION_BASE + index;
        lock.l_len = 1;
        if (fcntl(c->fd, command, &lock) == 0) {
            c->registration = (int32_t)index;
            release_previous_holder(c);
            return SHMIPC_OK;
        }
        if (errno == EINVAL && command == F_OFD_SETLK) {
            command = F_SETLK;
            k--;
            continue;
        }
        if (errno != EAGAIN && errno != EACCES) {
            /* Not "taken" but a failure (ENOLCK, ...): the index is unknown, so do not call without one. */
            int saved = errno;
            fail(err, SHMIPC_E_SYSTEM, 0, "cannot register as a client of %s: fcntl lock failed: %s", path,
                 strerror(saved));
            if (err != NULL) {
                err->errno_value = saved;
            }
            return SHMIPC_E_SYSTEM;
        }
    }
    return fail(err, SHMIPC_E_SYSTEM, 0, "cannot register as a client of %s: all %d registration indexes are taken",
                path, MAX_REGISTRATIONS);
}

static shmipc_status validate_header(struct connection *c, const char *path, shmipc_error *err)
{
    uint8_t *b = c->base;
    if (c->size < HEADER_SIZE || (uint64_t)load_sc_i64(i64_at(b, H_MAGIC)) != SHMIPC_MAGIC) {
        return fail(err, SHMIPC_E_PROTOCOL, 0, "%s is not a shmipc region (wrong size or magic)", path);
    }
    int32_t version = load_sc_i32(i32_at(b, H_LAYOUT_VERSION));
    if (version != SHMIPC_LAYOUT_VERSION) {
        return fail(err, SHMIPC_E_PROTOCOL, 0,
                    "%s has shmipc layout version %d, this C client speaks version %d; use a matching client", path,
                    version, SHMIPC_LAYOUT_VERSION);
    }
    int32_t slots = load_sc_i32(i32_at(b, H_SLOT_COUNT));
    int32_t capacity = load_sc_i32(i32_at(b, H_SLOT_CAPACITY));
    int32_t stride = load_sc_i32(i32_at(b, H_SLOT_STRIDE));
    int32_t header = load_sc_i32(i32_at(b, H_HEADER_SIZE));
    int64_t region = load_sc_i64(i64_at(b, H_REGION_SIZE));
    if (slots < MIN_SLOTS || slots > MAX_SLOTS || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY ||
        (uint64_t)stride != slot_stride((uint32_t)capacity) || header != HEADER_SIZE ||
        region != HEADER_SIZE + (int64_t)slots * stride || (uint64_t)region != c->size) {
        return fail(err, SHMIPC_E_PROTOCOL, 0,
                    "%s has a corrupt header (slots %d, capacity %d, stride %d, header %d, size %lld, file %zu)",
                    path, slots, capacity, stride, header, (long long)region, c->size);
    }
    /* Copied once: a process scribbling over the header later cannot make us index out of bounds. */
    c->slot_count = (uint32_t)slots;
    c->capacity = (uint32_t)capacity;
    c->stride = (uint64_t)stride;
    return SHMIPC_OK;
}

static shmipc_status check_accepting_calls(shmipc_client *client, struct connection *c, int64_t now,
                                           shmipc_error *err)
{
    int32_t state = load_sc_i32(i32_at(c->base, H_SERVER_STATE));
    if (state != SERVER_RUNNING) {
        return fail(err, SHMIPC_E_UNAVAILABLE, 0,
                    "shmipc server for name '%s' is %s (region %s); the request was not sent", client->name,
                    state == SERVER_DRAINING ? "shutting down" : "stopped", client->path);
    }
    if (!liveness_alive(&c->liveness, c->base, now)) {
        return fail(err, SHMIPC_E_UNAVAILABLE, 0,
                    "shmipc server for name '%s' (pid %lld) is not alive (region %s); the request was not sent. "
                    "Start a server; this client reconnects by itself",
                    client->name, (long long)load_sc_i64(i64_at(c->base, H_SERVER_PID)), client->path);
    }
    return SHMIPC_OK;
}

static shmipc_status connection_open(shmipc_client *client, struct connection **out, shmipc_error *err)
{
    const char *path = client->path;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        return fail(err, SHMIPC_E_UNAVAILABLE, 0, "%s is a symbolic link; shmipc never follows links. Remove it",
                    path);
    }
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        shmipc_status status;
        if (saved == ENOENT) {
            status = fail(err, SHMIPC_E_UNAVAILABLE, 0,
                          "no shmipc server for name '%s': region %s does not exist; start the server first "
                          "(or check the name and directory)",
                          client->name, path);
        } else {
            status = fail(err, SHMIPC_E_UNAVAILABLE, 0,
                          "cannot open shmipc region %s for name '%s': %s; check the file's permissions "
                          "(shmipc.server.file-mode on the server)",
                          path, client->name, strerror(saved));
        }
        if (err != NULL) {
            err->errno_value = saved;
        }
        return status;
    }
    struct connection *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        close(fd);
        return fail(err, SHMIPC_E_SYSTEM, 0, "out of memory");
    }
    c->fd = fd;
    c->refs = 1;
    shmipc_status status = SHMIPC_OK;
    if (fstat(fd, &st) != 0) {
        status = fail(err, SHMIPC_E_SYSTEM, 0, "cannot stat %s: %s", path, strerror(errno));
        goto failed;
    }
    c->dev = st.st_dev;
    c->ino = st.st_ino;
    c->size = (size_t)st.st_size;
    if (c->size < HEADER_SIZE) {
        status = fail(err, SHMIPC_E_PROTOCOL, 0, "%s is not a shmipc region (%zu bytes)", path, c->size);
        goto failed;
    }
    void *mapped = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        status = fail(err, SHMIPC_E_SYSTEM, 0, "cannot map %s: %s", path, strerror(errno));
        goto failed;
    }
    c->base = mapped;
    if ((status = validate_header(c, path, err)) != SHMIPC_OK ||
        (status = register_client(c, path, err)) != SHMIPC_OK) {
        goto failed;
    }
    liveness_init(&c->liveness, c->base, &client->options);
    if ((status = check_accepting_calls(client, c, shmipc_mono_ns(), err)) != SHMIPC_OK) {
        goto failed;
    }
    *out = c;
    return SHMIPC_OK;
failed:
    if (c->base != NULL) {
        munmap(c->base, c->size);
    }
    close(fd);
    free(c);
    return status;
}

/*
 * A connection is retired when its server marked the region CLOSED (the file is gone or replaced), or
 * when the path now names another file (the region was deleted and created again while no server
 * marked the old one, e.g. after kill -9 and a manual clean-up): the next call maps the new one.
 */
static int connection_retired(shmipc_client *client, struct connection *c, int check_path)
{
    if (load_sc_i32(i32_at(c->base, H_SERVER_STATE)) == SERVER_CLOSED) {
        return 1;
    }
    if (!check_path) {
        return 0;
    }
    struct stat st;
    return stat(client->path, &st) != 0 || st.st_ino != c->ino || st.st_dev != c->dev;
}

/* The live connection, retained for the caller; reconnects when the current one is retired. */
static shmipc_status acquire(shmipc_client *client, int check_path, struct connection **out, shmipc_error *err)
{
    pthread_mutex_lock(&client->lock);
    struct connection *c = client->conn;
    if (c != NULL && connection_retired(client, c, check_path)) {
        client->conn = NULL;
        connection_release(c); /* unmapped when the calls still using it finish */
        c = NULL;
    }
    shmipc_status status = SHMIPC_OK;
    if (c == NULL) {
        status = connection_open(client, &c, err);
        if (status == SHMIPC_OK) {
            client->conn = c;
        }
    }
    if (status == SHMIPC_OK) {
        __atomic_add_fetch(&c->refs, 1, __ATOMIC_ACQ_REL);
        *out = c;
    }
    pthread_mutex_unlock(&client->lock);
    return status;
}

/* ------------------------------------------------------------------------------------------------ */
/* Validation of names, routes, headers                                                              */

static int valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > MAX_NAME || name[0] == '.' || strstr(name, "..") != NULL) {
        return 0;
    }
    if (n >= 5 && strcmp(name + n - 5, ".lock") == 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_' || ch == '-')) {
            return 0;
        }
    }
    return 1;
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): the server decodes routes as UTF-8. */
static int valid_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        size_t extra;
        uint32_t cp;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            extra = 1;
            cp = b & 0x1Fu;
        } else if (b >= 0xE0 && b <= 0xEF) {
            extra = 2;
            cp = b & 0x0Fu;
        } else if (b >= 0xF0 && b <= 0xF4) {
            extra = 3;
            cp = b & 0x07u;
        } else {
            return 0;
        }
        if (i + extra >= n) {
            return 0;
        }
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0u) != 0x80u) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        int overlong_or_surrogate = extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF));
        int out_of_range = extra == 3 && (cp < 0x10000 || cp > 0x10FFFF);
        if (overlong_or_surrogate || out_of_range) {
            return 0;
        }
        i += extra + 1;
    }
    return 1;
}

/* Encodes headers as PROTOCOL.md section 3.1; returns the length, or -1 (err filled) when they do not fit. */
static int encode_headers(const shmipc_request *request, uint8_t out[HEADERS_CAPACITY], shmipc_error *err)
{
    size_t position = 0;
    for (size_t i = 0; i < request->header_count; i++) {
        const shmipc_header *h = &request->headers[i];
        if (h->key == NULL) {
            fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "header %zu has a NULL key; nothing was sent", i);
            return -1;
        }
        size_t key = strlen(h->key);
        size_t value = h->value == NULL ? 0 : strlen(h->value);
        if (key == 0 || key > 255 || position + 1 + key + 2 + value > HEADERS_CAPACITY) {
            fail(err, SHMIPC_E_INVALID_ARGUMENT, 0,
                 "headers do not fit in a slot: at most %d bytes encoded, keys of 1 to 255 bytes; header '%s'; "
                 "nothing was sent",
                 HEADERS_CAPACITY, h->key);
            return -1;
        }
        out[position++] = (uint8_t)key;
        memcpy(out + position, h->key, key);
        position += key;
        out[position++] = (uint8_t)(value & 0xFF);
        out[position++] = (uint8_t)(value >> 8);
        if (value > 0) {
            memcpy(out + position, h->value, value);
        }
        position += value;
    }
    return (int)position;
}

/*
 * Decodes reply headers (PROTOCOL.md 3.1) from the slot into one malloc-ed block: the header array,
 * then the NUL-terminated keys and values. Returns 0 on success (also for none), -1 when malformed or
 * out of memory; the server wrote them, so malformed ones only lose the headers, never the reply.
 */
static int decode_headers(const uint8_t *area, int32_t length, shmipc_header **out, size_t *count_out)
{
    *out = NULL;
    *count_out = 0;
    if (length <= 0) {
        return 0;
    }
    if (length > HEADERS_CAPACITY) {
        return -1;
    }
    uint8_t copy[HEADERS_CAPACITY]; /* copy once: the slot is shared memory */
    memcpy(copy, area, (size_t)length);
    size_t count = 0;
    for (size_t position = 0; position < (size_t)length; count++) {
        size_t key = copy[position];
        if (key == 0 || position + 1 + key + 2 > (size_t)length) {
            return -1;
        }
        size_t value = copy[position + 1 + key] | (size_t)copy[position + 2 + key] << 8;
        position += 1 + key + 2 + value;
        if (position > (size_t)length) {
            return -1;
        }
    }
    /* Each entry's key_len and value_len bytes (3) cover its two NUL terminators. */
    shmipc_header *headers = malloc(count * sizeof(shmipc_header) + (size_t)length + 1);
    if (headers == NULL) {
        return -1;
    }
    char *text = (char *)(headers + count);
    size_t position = 0;
    for (size_t i = 0; i < count; i++) {
        size_t key = copy[position];
        size_t value = copy[position + 1 + key] | (size_t)copy[position + 2 + key] << 8;
        memcpy(text, copy + position + 1, key);
        text[key] = '\0';
        headers[i].key = text;
        text += key + 1;
        memcpy(text, copy + position + 3 + key, value);
        text[value] = '\0';
        headers[i].value = text;
        text += value + 1;
        position += 1 + key + 2 + value;
    }
    *out = headers;
    *count_out = count;
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Slot protocol                                                                                     */

/* After a CAS to FREE (PROTOCOL.md 4.2 slotFreed): with no waiter counted, nothing shared is written. */
static void slot_freed(struct connection *c)
{
    if (load_sc_i32(i32_at(c->base, H_FREE_WAITERS)) != 0) {
        __atomic_fetch_add(u32_at(c->base, H_FREE_SEQUENCE), 1u, __ATOMIC_SEQ_CST);
        shmipc_futex_wake(u32_at(c->base, H_FREE_SEQUENCE), INT_MAX);
    }
}

/* Any transition to FREE: the state word and the owner (to -1) in one 64-bit CAS; 1 when this call freed it. */
static int release_slot(uint8_t *slot, uint32_t word)
{
    for (int attempt = 0; attempt < 8; attempt++) { /* only a scribbler changes the owner half under us */
        uint64_t current = __atomic_load_n(owned_at(slot), __ATOMIC_SEQ_CST);
        if ((uint32_t)current != word) {
            return 0;
        }
        if (cas_sc_u64(owned_at(slot), current, owned(with_state(word, ST_FREE), NO_OWNER))) {
            return 1;
        }
    }
    return 0;
}

static void free_slot(struct connection *c, uint8_t *slot, uint32_t word)
{
    if (release_slot(slot, word)) {
        slot_freed(c);
    }
}

static _Thread_local uint32_t thread_start_seed;

/* A per-thread starting slot, so that threads do not all contend on slot 0. */
static uint32_t start_slot(struct connection *c)
{
    if (thread_start_seed == 0) {
        uint64_t mix = ((uint64_t)syscall(SYS_gettid) + (uint64_t)getpid()) * UINT64_C(0x9E3779B97F4A7C15);
        thread_start_seed = (uint32_t)(mix >> 33) | 1u;
    }
    return thread_start_seed % c->slot_count;
}

static int try_claim(struct connection *c, uint32_t start, uint32_t *slot_out, uint32_t *word_out)
{
    for (uint32_t k = 0; k < c->slot_count; k++) {
        uint32_t slot = start + k < c->slot_count ? start + k : start + k - c->slot_count;
        uint64_t *pair = owned_at(slot_at(c, slot));
        uint64_t current = __atomic_load_n(pair, __ATOMIC_SEQ_CST);
        uint32_t word = (uint32_t)current;
        if (word_state(word) == ST_FREE) {
            uint32_t claimed = next_claim(word);
            /* T1 names the owner atomically: no process ever sees this slot CLAIMED without it. */
            if (cas_sc_u64(pair, current, owned(claimed, c->registration))) {
                *slot_out = slot;
                *word_out = claimed;
                return 1;
            }
        }
    }
    return 0;
}

/* T1 with the free-slot wait of PROTOCOL.md 5.1: read the sequence, scan, count ourselves, scan again, sleep. */
static shmipc_status claim(shmipc_client *client, struct connection *c, int64_t deadline, uint32_t timeout_ms,
                           uint32_t *slot_out, uint32_t *word_out, shmipc_error *err)
{
    uint32_t start = start_slot(c);
    uint32_t *free_sequence = u32_at(c->base, H_FREE_SEQUENCE);
    int32_t *free_waiters = i32_at(c->base, H_FREE_WAITERS);
    for (;;) {
        uint32_t sequence = load_sc(free_sequence);
        if (try_claim(c, start, slot_out, word_out)) {
            return SHMIPC_OK;
        }
        int64_t now = shmipc_mono_ns();
        if (now >= deadline) {
            return fail(err, SHMIPC_E_TIMEOUT, 0,
                        "timed out after %u ms: all %u slots of '%s' stayed busy; nothing was sent. Raise "
                        "shmipc.server.slots on the server if this persists",
                        timeout_ms, c->slot_count, client->name);
        }
        shmipc_status status = check_accepting_calls(client, c, now, err);
        if (status != SHMIPC_OK) {
            return status;
        }
        /*
         * Count ourselves, then scan again (the Dekker pair with slot_freed): a releaser that read no
         * waiters wrote nothing, but its FREE CAS precedes our increment in the SC order, so this scan
         * sees the slot; one that read our count bumps the sequence, which the futex sees.
         */
        __atomic_fetch_add(free_waiters, 1, __ATOMIC_SEQ_CST);
        int claimed = try_claim(c, start, slot_out, word_out);
        if (!claimed && load_sc(free_sequence) == sequence) {
            int64_t slice = liveness_interval(&c->liveness, c->base);
            int64_t left = deadline - now;
            shmipc_futex_wait(free_sequence, sequence, left < slice ? left : slice);
        }
        __atomic_fetch_sub(free_waiters, 1, __ATOMIC_SEQ_CST);
        if (claimed) {
            return SHMIPC_OK;
        }
    }
}

static void fill(struct connection *c, uint8_t *slot, uint64_t request_id, const shmipc_request *request,
                 const uint8_t *headers, int headers_length, int64_t deadline)
{
    /* Plain writes: the slot is CLAIMED, so only this thread writes it until the REQUEST CAS publishes them. */
    size_t route_length = strlen(request->route);
    plain_set_i32(slot + S_CLIENT_WAITING, 0); /* a client killed while asleep may have left 1 (PROTOCOL.md 3) */
    plain_set_i64(slot + S_OWNER_PID, (int64_t)getpid());
    plain_set_i64(slot + S_REQUEST_ID, (int64_t)request_id);
    plain_set_i64(slot + S_EPOCH, load_sc_i64(i64_at(c->base, H_EPOCH)));
    int64_t left_ms = (deadline - shmipc_mono_ns()) / 1000000;
    if (left_ms < 0) {
        left_ms = 0;
    }
    plain_set_i64(slot + S_DEADLINE, shmipc_wall_ms() + left_ms);
    /* The time left from this submission: deadline minus it is now, the slot's age for tools (0 = unknown). */
    plain_set_i32(slot + S_TIMEOUT_MS, left_ms <= INT32_MAX ? (int32_t)left_ms : 0);
    memcpy(slot + S_ROUTE, request->route, route_length);
    plain_set_i32(slot + S_ROUTE_LENGTH, (int32_t)route_length);
    if (headers_length > 0) {
        memcpy(slot + S_HEADERS, headers, (size_t)headers_length);
    }
    plain_set_i32(slot + S_HEADERS_LENGTH, headers_length);
    plain_set_i32(slot + S_STATUS, STATUS_OK);
    if (request->payload_len > 0) {
        memcpy(slot + S_PAYLOAD, request->payload, request->payload_len);
    }
    plain_set_i32(slot + S_PAYLOAD_LENGTH, (int32_t)request->payload_len);
}

/* Client then server: announce a published request; wake the server only if it sleeps (doorbell pair). */
static void ring_doorbell(struct connection *c)
{
    __atomic_fetch_add(u32_at(c->base, H_DOORBELL), 1u, __ATOMIC_SEQ_CST);
    if (load_sc_i32(i32_at(c->base, H_SERVER_SLEEPING)) != 0) {
        shmipc_futex_wake(u32_at(c->base, H_DOORBELL), 1);
    }
}

static shmipc_status read_reply(shmipc_client *client, struct connection *c, uint32_t slot_index, uint8_t *slot,
                                uint32_t response, uint64_t request_id, const char *route, shmipc_reply *reply,
                                shmipc_error *err)
{
    /* Plain reads, ordered after the SC load that saw RESPONSE. */
    int32_t status = plain_get_i32(slot + S_STATUS);
    int32_t length = plain_get_i32(slot + S_PAYLOAD_LENGTH);
    int32_t headers_length = plain_get_i32(slot + S_HEADERS_LENGTH); /* the reply's headers, 0 = none */
    uint64_t reply_id = (uint64_t)plain_get_i64(slot + S_REQUEST_ID);
    shmipc_status result;
    if (reply_id != request_id) {
        result = fail(err, SHMIPC_E_PROTOCOL, 1,
                      "slot %u of %s holds a reply for request %llu, not %llu; another process wrote into the region",
                      slot_index, client->path, (unsigned long long)reply_id, (unsigned long long)request_id);
    } else if (length < 0 || (uint32_t)length > c->capacity) {
        result = fail(err, SHMIPC_E_PROTOCOL, 1, "slot %u of %s holds a reply length of %d, outside 0..%u",
                      slot_index, client->path, length, c->capacity);
    } else {
        const uint8_t *payload = slot + S_PAYLOAD;
        switch (status) {
        case STATUS_OK: {
            /* Copy out before freeing: after T9 another client may claim the slot and overwrite it. */
            uint8_t *data = malloc((size_t)length + 1);
            if (data == NULL) {
                result = fail(err, SHMIPC_E_SYSTEM, 0, "out of memory for a reply of %d bytes (it ran)", length);
                break;
            }
            memcpy(data, payload, (size_t)length);
            data[length] = 0;
            reply->data = data;
            reply->len = (size_t)length;
            /* Malformed reply headers (only a third process could write them) lose the headers, not the reply. */
            (void)decode_headers(slot + S_HEADERS, headers_length, &reply->headers, &reply->header_count);
            result = SHMIPC_OK;
            break;
        }
        case STATUS_HANDLER_ERROR: {
            const uint8_t *newline = memchr(payload, '\n', (size_t)length);
            size_t type_length = newline == NULL ? (size_t)length : (size_t)(newline - payload);
            size_t message_length = newline == NULL ? 0 : (size_t)length - type_length - 1;
            result = fail(err, SHMIPC_E_REMOTE, 0, "%.*s", (int)message_length,
                          newline == NULL ? "" : (const char *)newline + 1);
            if (err != NULL) {
                snprintf(err->remote_type, sizeof(err->remote_type), "%.*s", (int)type_length,
                         (const char *)payload);
                shmipc_header *headers;
                size_t count;
                if (decode_headers(slot + S_HEADERS, headers_length, &headers, &count) == 0) {
                    for (size_t i = 0; i < count; i++) {
                        if (strcmp(headers[i].key, ERROR_CODE_HEADER) == 0) {
                            snprintf(err->error_code, sizeof(err->error_code), "%s", headers[i].value);
                        }
                    }
                    free(headers);
                }
            }
            break;
        }
        case STATUS_NO_HANDLER:
            result = fail(err, SHMIPC_E_NO_HANDLER, 0, "shmipc server '%s' has no handler for route '%s'",
                          client->name, route);
            break;
        case STATUS_PROTOCOL_ERROR:
            result = fail(err, SHMIPC_E_PROTOCOL, length == 0,
                          "the server rejected the request on route '%s' as malformed: %.*s", route, (int)length,
                          (const char *)payload);
            break;
        case STATUS_SERVER_RESTARTED:
            result = fail(err, SHMIPC_E_UNAVAILABLE, 1,
                          "shmipc server for name '%s' died while processing this request and a new server took "
                          "over; the outcome is unknown",
                          client->name);
            break;
        case STATUS_SERVER_CLOSING:
            result = fail(err, SHMIPC_E_UNAVAILABLE, 0,
                          "shmipc server for name '%s' stopped before processing this request; it was not executed",
                          client->name);
            break;
        case STATUS_REPLY_TOO_LARGE: {
            int64_t size = -1;
            if (length >= 8) {
                memcpy(&size, payload, sizeof(size)); /* unaligned native i64 */
            }
            result = fail(err, SHMIPC_E_PAYLOAD_TOO_LARGE, 0,
                          "the reply of route '%s' (%lld bytes) exceeds the slot capacity of %u bytes; it ran. "
                          "Raise shmipc.server.slot-size on the server",
                          route, (long long)size, c->capacity);
            if (err != NULL) {
                err->too_large_which = 2;
                err->too_large_size = size;
                err->too_large_capacity = c->capacity;
            }
            break;
        }
        default:
            result = fail(err, SHMIPC_E_PROTOCOL, 1, "slot %u of %s holds unknown status %d", slot_index,
                          client->path, status);
        }
    }
    free_slot(c, slot, response); /* T9 */
    return result;
}

/* Takes the slot back after a timeout or a dead server (PROTOCOL.md 6.2 give_up). */
static shmipc_status give_up(shmipc_client *client, struct connection *c, uint32_t slot_index, uint8_t *slot,
                             uint32_t request_word, uint64_t request_id, const char *route, int timed_out,
                             uint32_t timeout_ms, shmipc_reply *reply, shmipc_error *err)
{
    uint32_t *state = u32_at(slot, S_STATE);
    int outcome_unknown;
    if (release_slot(slot, request_word)) { /* T5: the server never saw it */
        slot_freed(c);
        outcome_unknown = 0;
    } else if (cas_sc(state, with_state(request_word, ST_PROCESSING), with_state(request_word, ST_ABANDONED))) {
        outcome_unknown = 1; /* T7: it may have run; the server frees the slot and drops the reply */
    } else {
        uint32_t word = load_sc(state);
        if (word == with_state(request_word, ST_RESPONSE)) { /* the reply won the race */
            return read_reply(client, c, slot_index, slot, word, request_id, route, reply, err);
        }
        return fail(err, SHMIPC_E_PROTOCOL, 1,
                    "slot %u of %s changed under this call (word 0x%x); the outcome is unknown", slot_index,
                    client->path, word);
    }
    const char *outcome = outcome_unknown ? "the server had started it, so the outcome is unknown"
                                          : "it was not executed";
    if (timed_out) {
        return fail(err, SHMIPC_E_TIMEOUT, outcome_unknown, "no reply from shmipc server '%s' within %u ms; %s",
                    client->name, timeout_ms, outcome);
    }
    return fail(err, SHMIPC_E_UNAVAILABLE, outcome_unknown,
                "shmipc server for name '%s' went away (pid %lld, region %s) while this call waited; %s", client->name,
                (long long)load_sc_i64(i64_at(c->base, H_SERVER_PID)), client->path, outcome);
}

static int will_answer(struct connection *c, int64_t now)
{
    int32_t state = load_sc_i32(i32_at(c->base, H_SERVER_STATE));
    return (state == SERVER_RUNNING || state == SERVER_DRAINING) && liveness_alive(&c->liveness, c->base, now);
}

static shmipc_status await_reply(shmipc_client *client, struct connection *c, uint32_t slot_index,
                                 uint32_t request_word, uint64_t request_id, const shmipc_request *request,
                                 int64_t deadline, shmipc_reply *reply, shmipc_error *err)
{
    uint8_t *slot = slot_at(c, slot_index);
    uint32_t *state = u32_at(slot, S_STATE);
    int32_t *waiting = i32_at(slot, S_CLIENT_WAITING);
    uint32_t response = with_state(request_word, ST_RESPONSE);
    uint32_t processing = with_state(request_word, ST_PROCESSING);

    /* Spin first (hybrid), if this process has a spare core for it. */
    if (client->options.spin_us != UINT32_MAX && spin_budget_acquire()) {
        int64_t spin_until = shmipc_mono_ns() + (int64_t)client->options.spin_us * 1000;
        for (uint32_t step = 1;; step++) {
            uint32_t word = load_sc(state);
            if (word != request_word && word != processing) {
                break;
            }
            spin_pause(step);
            if ((step & 1023u) == 0 && shmipc_mono_ns() >= spin_until) {
                break;
            }
        }
        spin_budget_release();
    }
    for (;;) {
        uint32_t word = load_sc(state);
        if (word == response) {
            return read_reply(client, c, slot_index, slot, response, request_id, request->route, reply, err);
        }
        if (word != request_word && word != processing) {
            /* Not a state this exchange can be in: someone rewrote the slot. Leave it to the housekeeper. */
            return fail(err, SHMIPC_E_PROTOCOL, 1,
                        "slot %u of %s changed under this call (word 0x%x); the outcome is unknown", slot_index,
                        client->path, word);
        }
        int64_t now = shmipc_mono_ns();
        if (now >= deadline) {
            return give_up(client, c, slot_index, slot, request_word, request_id, request->route, 1,
                           request->timeout_ms, reply, err);
        }
        if (!will_answer(c, now)) {
            return give_up(client, c, slot_index, slot, request_word, request_id, request->route, 0,
                           request->timeout_ms, reply, err);
        }
        /* Flag, then re-read: the Dekker pair with the server's wake after PROCESSING -> RESPONSE. */
        store_sc_i32(waiting, 1);
        if (load_sc(state) == word) {
            int64_t slice = liveness_interval(&c->liveness, c->base);
            int64_t left = deadline - now;
            shmipc_futex_wait(state, word, left < slice ? left : slice);
        }
        store_sc_i32(waiting, 0);
    }
}

static shmipc_status exchange(shmipc_client *client, struct connection *c, const shmipc_request *request,
                              const uint8_t *headers, int headers_length, int64_t deadline, shmipc_reply *reply,
                              shmipc_error *err)
{
    if (request->payload_len > c->capacity) {
        shmipc_status status = fail(err, SHMIPC_E_PAYLOAD_TOO_LARGE, 0,
                                    "the request of %zu bytes exceeds the slot capacity of %u bytes; nothing was "
                                    "sent. Raise shmipc.server.slot-size on the server",
                                    request->payload_len, c->capacity);
        if (err != NULL) {
            err->too_large_which = 1;
            err->too_large_size = (int64_t)request->payload_len;
            err->too_large_capacity = c->capacity;
        }
        return status;
    }
    shmipc_status status = check_accepting_calls(client, c, shmipc_mono_ns(), err);
    if (status != SHMIPC_OK) {
        return status;
    }
    uint32_t slot_index;
    uint32_t claimed;
    status = claim(client, c, deadline, request->timeout_ms, &slot_index, &claimed, err);
    if (status != SHMIPC_OK) {
        return status;
    }
    uint8_t *slot = slot_at(c, slot_index);
    uint64_t request_id = next_request_id();
    fill(c, slot, request_id, request, headers, headers_length, deadline);
    uint32_t request_word = with_state(claimed, ST_REQUEST);
    /* SC CAS (not a store: the housekeeper may have reclaimed the slot): publishes every field written above. */
    if (!cas_sc(u32_at(slot, S_STATE), claimed, request_word)) {
        return fail(err, SHMIPC_E_PROTOCOL, 0,
                    "slot %u of %s was taken from this call while it wrote its request (found 0x%x); the request "
                    "was not sent",
                    slot_index, client->path, load_sc(u32_at(slot, S_STATE)));
    }
    ring_doorbell(c);
    return await_reply(client, c, slot_index, request_word, request_id, request, deadline, reply, err);
}

/* ------------------------------------------------------------------------------------------------ */
/* Public API                                                                                        */

shmipc_status shmipc_client_new(const char *name, const char *directory, const shmipc_options *options,
                                shmipc_client **out, shmipc_error *err)
{
    clear_error(err);
    if (out == NULL) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "out must not be NULL");
    }
    *out = NULL;
    if (name == NULL || !valid_name(name)) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0,
                    "invalid shmipc name '%s': use 1 to %d characters from A-Z a-z 0-9 . _ -, not starting with "
                    "'.', without '..', not ending in '.lock'",
                    name == NULL ? "(null)" : name, MAX_NAME);
    }
    if (directory == NULL || directory[0] == '\0') {
        directory = "/dev/shm";
    }
    pthread_once(&process_once, process_init);
    shmipc_client *client = calloc(1, sizeof(*client));
    if (client == NULL) {
        return fail(err, SHMIPC_E_SYSTEM, 0, "out of memory");
    }
    int n = snprintf(client->path, sizeof(client->path), "%s/%s", directory, name);
    if (n < 0 || (size_t)n >= sizeof(client->path)) {
        free(client);
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "directory '%s' is too long", directory);
    }
    snprintf(client->name, sizeof(client->name), "%s", name);
    shmipc_options defaults = {0, 0, 0};
    client->options = options != NULL ? *options : defaults;
    if (client->options.liveness_interval_ms == 0) {
        client->options.liveness_interval_ms = DEFAULT_INTERVAL_MS;
    }
    if (client->options.liveness_timeout_ms == 0) {
        client->options.liveness_timeout_ms = DEFAULT_TIMEOUT_MS;
    }
    if (client->options.spin_us == 0) {
        client->options.spin_us = DEFAULT_SPIN_US;
    }
    pthread_mutex_init(&client->lock, NULL);
    *out = client;
    return SHMIPC_OK;
}

shmipc_status shmipc_client_connect(shmipc_client *client, shmipc_error *err)
{
    clear_error(err);
    if (client == NULL) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "client must not be NULL");
    }
    struct connection *c;
    shmipc_status status = acquire(client, 1, &c, err);
    if (status != SHMIPC_OK) {
        return status;
    }
    /* A connection made earlier may have outlived its server: check, as a call would. */
    status = check_accepting_calls(client, c, shmipc_mono_ns(), err);
    connection_release(c);
    return status;
}

shmipc_status shmipc_call(shmipc_client *client, const shmipc_request *request, shmipc_reply *reply,
                          shmipc_error *err)
{
    shmipc_error local;
    if (err == NULL) {
        err = &local; /* the outcome decides below whether to re-check the region's path */
    }
    clear_error(err);
    if (reply != NULL) {
        memset(reply, 0, sizeof(*reply));
    }
    if (client == NULL || request == NULL || reply == NULL) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "client, request and reply must not be NULL");
    }
    if (request->timeout_ms == 0) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "timeout must be positive, was 0 ms; nothing was sent");
    }
    int64_t deadline = shmipc_mono_ns() + (int64_t)request->timeout_ms * 1000000;
    size_t route_length = request->route == NULL ? 0 : strlen(request->route);
    if (route_length < 1 || route_length > ROUTE_CAPACITY ||
        !valid_utf8((const uint8_t *)request->route, route_length)) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0,
                    "route must be 1 to %d bytes of valid UTF-8, was %zu bytes%s; nothing was sent", ROUTE_CAPACITY,
                    route_length, route_length > 0 && route_length <= ROUTE_CAPACITY ? " of invalid UTF-8" : "");
    }
    if ((request->payload == NULL && request->payload_len > 0) ||
        (request->headers == NULL && request->header_count > 0)) {
        return fail(err, SHMIPC_E_INVALID_ARGUMENT, 0, "payload or headers NULL with a non-zero length");
    }
    uint8_t headers[HEADERS_CAPACITY];
    int headers_length = encode_headers(request, headers, err);
    if (headers_length < 0) {
        return SHMIPC_E_INVALID_ARGUMENT;
    }
    for (int attempt = 0;; attempt++) {
        struct connection *c;
        shmipc_status status = acquire(client, 0, &c, err);
        if (status != SHMIPC_OK) {
            return status;
        }
        status = exchange(client, c, request, headers, headers_length, deadline, reply, err);
        int replaced = 0;
        if (status == SHMIPC_E_UNAVAILABLE && !err->outcome_unknown) {
            /* The region may have been replaced under a dead server (deleted and created again, not marked CLOSED). */
            pthread_mutex_lock(&client->lock);
            if (client->conn == c && connection_retired(client, c, 1)) {
                client->conn = NULL;
                connection_release(c); /* the client's reference; ours is still held */
                replaced = 1;
            }
            pthread_mutex_unlock(&client->lock);
        }
        connection_release(c);
        /* It was not executed and the path names another file: one more try, on that file, keeps "at most once". */
        if (!replaced || attempt > 0 || shmipc_mono_ns() >= deadline) {
            return status;
        }
    }
}

void shmipc_reply_free(shmipc_reply *reply)
{
    if (reply != NULL) {
        free(reply->data);
        free(reply->headers); /* one block: the array and its strings */
        memset(reply, 0, sizeof(*reply));
    }
}

void shmipc_client_close(shmipc_client *client)
{
    if (client == NULL) {
        return;
    }
    pthread_mutex_lock(&client->lock);
    struct connection *c = client->conn;
    client->conn = NULL;
    pthread_mutex_unlock(&client->lock);
    if (c != NULL) {
        connection_release(c);
    }
    pthread_mutex_destroy(&client->lock);
    free(client);
}

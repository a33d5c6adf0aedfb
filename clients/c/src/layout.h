/*
 * Byte layout of a shmipc region: every offset, size, state and status the C client uses, in one
 * place. Mirrors shmipc-core's io.shmipc.core.internal.layout.RegionDescriptor and SlotDescriptor; the
 * normative text is docs/PROTOCOL.md. When the Java layout changes (and SHMIPC_LAYOUT_VERSION goes
 * up), this is the file to change.
 */
#ifndef SHMIPC_LAYOUT_H
#define SHMIPC_LAYOUT_H

#include <stdint.h>

/* "SHMIPC\0\1" read as a little-endian u64 (PROTOCOL.md section 2.1). */
#define SHMIPC_MAGIC UINT64_C(0x01004350494D4853)
#define SHMIPC_LAYOUT_VERSION 2

/* Region header (PROTOCOL.md section 2.2). Each 64-byte line is written by one party only. */
enum {
    H_MAGIC = 0,            /* u64, line 0: identity, written once before the rename */
    H_LAYOUT_VERSION = 8,   /* i32 */
    H_SLOT_COUNT = 12,      /* i32 */
    H_SLOT_CAPACITY = 16,   /* i32 */
    H_SLOT_STRIDE = 20,     /* i32 */
    H_HEADER_SIZE = 24,     /* i32 */
    H_REGION_SIZE = 32,     /* i64 */
    H_SERVER_STATE = 64,    /* i32, line 1: server status */
    H_EPOCH = 72,           /* i64 */
    H_SERVER_PID = 80,      /* i64 */
    H_SERVER_START = 88,    /* i64, field 22 of /proc/<pid>/stat */
    H_SERVER_PID_NS = 96,   /* i64, inode of /proc/self/ns/pid, 0 = unknown */
    H_SERVER_INTERVAL = 104,/* i64, the server's heartbeat period in ns */
    H_HEARTBEAT = 128,      /* i64, line 2 */
    H_DOORBELL = 192,       /* u32, line 3: futex word the server sleeps on */
    H_SERVER_SLEEPING = 256,/* i32, line 4 */
    H_FREE_SEQUENCE = 320,  /* u32, line 5: futex word of clients waiting for a free slot */
    H_FREE_WAITERS = 324,   /* i32 */
    /* lines 8-71: reply doorbells, one 64-byte line each (PROTOCOL.md section 2.2, 6.4). This client
       never takes one: it always sleeps on the slot's state word (client-waiting word 1). */
    H_REPLY_DOORBELLS = 512,
    REPLY_DOORBELL_COUNT = 64,
    HEADER_SIZE = 4608
};

enum { SERVER_RUNNING = 1, SERVER_DRAINING = 2, SERVER_CLOSED = 3 };

/* Geometry bounds checked on open (PROTOCOL.md section 1.2). */
#define MIN_SLOTS 1
#define MAX_SLOTS 4096
#define MIN_CAPACITY 64
#define MAX_CAPACITY (1 << 30)

/* One slot (PROTOCOL.md section 3); slot i starts at HEADER_SIZE + i * stride. */
enum {
    S_STATE = 0,            /* u32: (sequence << 8) | state; the futex word the client sleeps on */
    S_OWNED_STATE = 0,      /* u64: state word (low half) + owner index (high half), claimed and freed in one CAS */
    S_OWNER_INDEX = 4,      /* i32, -1 = none; written only together with the state word */
    S_CLIENT_WAITING = 8,   /* i32 */
    S_ROUTE_LENGTH = 12,    /* i32 */
    S_REQUEST_ID = 16,      /* i64 */
    S_OWNER_PID = 24,       /* i64 */
    S_EPOCH = 32,           /* i64 */
    S_DEADLINE = 40,        /* i64, wall-clock ms */
    S_STATUS = 48,          /* i32 */
    S_PAYLOAD_LENGTH = 52,  /* i32 */
    S_HEADERS_LENGTH = 56,  /* i32: request headers, then the server's reply headers (0 = none) */
    S_TIMEOUT_MS = 60,      /* i32: time left at submission in ms, deadline - it = submission (0 = unknown) */
    S_ROUTE = 64,
    ROUTE_CAPACITY = 128,
    S_HEADERS = 192,        /* request headers, overwritten in place by reply headers */
    HEADERS_CAPACITY = 320,
    S_PAYLOAD = 512,
    SLOT_HEADER_SIZE = 512
};

#define NO_OWNER (-1)

/* States: the low 8 bits of the state word (PROTOCOL.md section 4.1). */
enum { ST_FREE = 0, ST_CLAIMED = 1, ST_REQUEST = 2, ST_PROCESSING = 3, ST_RESPONSE = 4, ST_ABANDONED = 5 };
#define STATE_MASK 0xFFu
#define SEQUENCE_SHIFT 8

/* Reply statuses (PROTOCOL.md section 4.4). */
enum {
    STATUS_OK = 0,
    STATUS_HANDLER_ERROR = 1,
    STATUS_NO_HANDLER = 2,
    STATUS_PROTOCOL_ERROR = 3,
    STATUS_SERVER_RESTARTED = 4,
    STATUS_SERVER_CLOSING = 5,
    STATUS_REPLY_TOO_LARGE = 6
};

/* Reply header of a STATUS_HANDLER_ERROR reply that carries the application's error code. */
#define ERROR_CODE_HEADER "shmipc-error-code"

/* Client registration: an exclusive record lock on one byte at REGISTRATION_BASE + index of the
 * region file (PROTOCOL.md section 7.3). */
#define REGISTRATION_BASE (INT64_C(1) << 40)
#define MAX_REGISTRATIONS (1 << 20)

static inline uint32_t word_state(uint32_t word) { return word & STATE_MASK; }
static inline uint32_t with_state(uint32_t word, uint32_t state) { return (word & ~STATE_MASK) | state; }
/* The CLAIMED word of the next claim of a FREE word: the sequence goes up by one (wrapping at 2^24). */
static inline uint32_t next_claim(uint32_t word)
{
    return (((word >> SEQUENCE_SHIFT) + 1u) << SEQUENCE_SHIFT) | ST_CLAIMED;
}
static inline uint64_t slot_stride(uint32_t capacity)
{
    return ((uint64_t)SLOT_HEADER_SIZE + capacity + 63u) & ~UINT64_C(63);
}

#endif

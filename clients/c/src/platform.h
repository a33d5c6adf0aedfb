/*
 * The few things that differ by CPU: the futex system call number and the spin-wait hint.
 * Linux only; x86_64 and aarch64 (the architectures the Java engine has a futex for).
 */
#ifndef SHMIPC_PLATFORM_H
#define SHMIPC_PLATFORM_H

#include <limits.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define SHMIPC_SYS_FUTEX 202
#define shmipc_cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define SHMIPC_SYS_FUTEX 98
#define shmipc_cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#error "shmipc's C client supports Linux x86_64 and aarch64 only (the futex syscall number is per architecture)"
#endif

#if defined(SYS_futex)
_Static_assert(SYS_futex == SHMIPC_SYS_FUTEX, "futex syscall number disagrees with <sys/syscall.h>");
#endif

/* Shared futexes: FUTEX_PRIVATE_FLAG (128) must never be set, the words live in another process's mapping too. */
#define SHMIPC_FUTEX_WAIT 0
#define SHMIPC_FUTEX_WAKE 1

/*
 * Sleeps while *word == expected, at most timeout_ns (a relative timeout). EAGAIN, EINTR, ETIMEDOUT
 * and spurious returns are routine: the caller always re-reads the word, so the result is ignored.
 */
static inline void shmipc_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    if (timeout_ns <= 0) {
        return;
    }
    struct timespec ts = {.tv_sec = (time_t)(timeout_ns / 1000000000), .tv_nsec = (long)(timeout_ns % 1000000000)};
    (void)syscall(SHMIPC_SYS_FUTEX, word, SHMIPC_FUTEX_WAIT, expected, &ts, (uint32_t *)0, 0);
}

static inline void shmipc_futex_wake(uint32_t *word, int count)
{
    (void)syscall(SHMIPC_SYS_FUTEX, word, SHMIPC_FUTEX_WAKE, count, (void *)0, (uint32_t *)0, 0);
}

static inline int64_t shmipc_mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline int64_t shmipc_wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

#endif

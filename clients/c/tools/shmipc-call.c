/*
 * shmipc-call: calls a route of a Java shmipc server from the command line, once or many times, and
 * prints the reply or a latency summary. Built on libshmipc; see usage() below.
 */
#define _GNU_SOURCE
#include "shmipc.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 32
#define EXIT_SOME_FAILED 9
#define EXIT_USAGE 64

static void usage(FILE *out)
{
    fprintf(out,
            "usage: shmipc-call [options] NAME ROUTE [PAYLOAD]\n"
            "Calls ROUTE on the shmipc server for NAME and prints the reply (one call) or a latency summary.\n"
            "The payload is PAYLOAD, or the file given with -f (- = stdin), or -s bytes, or empty.\n"
            "  -d DIR      region directory (default /dev/shm; a Java server without /dev/shm uses\n"
            "              <java.io.tmpdir>/shmipc, usually /tmp/shmipc)\n"
            "  -f FILE     read the payload from FILE; - reads stdin\n"
            "  -s BYTES    payload of BYTES bytes ('x' repeated) when no PAYLOAD or -f is given\n"
            "  -H KEY=VAL  add a header (repeatable, at most %d)\n"
            "  -T MS       timeout per call in milliseconds (default 5000)\n"
            "  -n CALLS    measured calls per thread (default 1)\n"
            "  -w CALLS    warm-up calls per thread before measuring (default 0)\n"
            "  -t THREADS  calling threads (default 1)\n"
            "  -u          unique payloads: each call's payload starts with pid, thread and index, and the reply\n"
            "              must equal the request (for echo routes); mismatches are counted\n"
            "  -q          do not print the reply of a single call\n"
            "  -i          print the reply headers of a single call to stderr, one 'header: KEY=VALUE' a line\n"
            "Exit status: 0 success; 1-8 the failed single call's shmipc_status negated (1 invalid argument,\n"
            "2 unavailable, 3 timeout, 4 remote error, 5 no handler, 6 payload too large, 7 protocol, 8 system);\n"
            "9 some of many calls failed or mismatched; 64 usage error.\n",
            MAX_HEADERS);
}

struct settings {
    const char *name;
    const char *directory;
    const char *route;
    shmipc_header headers[MAX_HEADERS];
    size_t header_count;
    uint8_t *payload;
    size_t payload_len;
    int payload_allocated; /* read from a file or generated: freed at exit */
    uint32_t timeout_ms;
    long calls;
    long warmup;
    int threads;
    int unique;
    int quiet;
    int include_headers;
};

struct worker {
    pthread_t thread;
    int index;
    const struct settings *settings;
    shmipc_client *client;
    int64_t *latencies_ns; /* calls entries */
    long ok;
    long failed;
    long mismatched;
    long by_status[10]; /* failures by -status */
    shmipc_error first_error;
};

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void print_error(const shmipc_error *err)
{
    if (err->status == SHMIPC_E_REMOTE) {
        fprintf(stderr, "shmipc-call: %s: remote %s%s%s%s: %s\n", shmipc_status_name(err->status), err->remote_type,
                err->error_code[0] ? " [" : "", err->error_code, err->error_code[0] ? "]" : "", err->message);
    } else {
        fprintf(stderr, "shmipc-call: %s%s: %s\n", shmipc_status_name(err->status),
                err->outcome_unknown ? " (outcome unknown)" : "", err->message);
    }
}

/* Builds the payload of one call: the common payload, or a unique one of the same size (at least the tag). */
static size_t make_payload(const struct settings *s, int thread, long call, uint8_t *buffer, size_t capacity)
{
    if (!s->unique) {
        return 0;
    }
    int tag = snprintf((char *)buffer, capacity, "%ld-%d-%ld:", (long)getpid(), thread, call);
    size_t length = s->payload_len > (size_t)tag ? s->payload_len : (size_t)tag;
    for (size_t i = (size_t)tag; i < length; i++) {
        buffer[i] = s->payload_len > 0 ? s->payload[i] : (uint8_t)('a' + (call + (long)i) % 26);
    }
    return length;
}

static void *run_worker(void *argument)
{
    struct worker *w = argument;
    const struct settings *s = w->settings;
    size_t capacity = (s->payload_len > 64 ? s->payload_len : 64) + 64;
    uint8_t *unique = malloc(capacity);
    if (unique == NULL) {
        w->failed = s->calls;
        return NULL;
    }
    for (long i = -s->warmup; i < s->calls; i++) {
        shmipc_request request = {.route = s->route,
                                  .headers = s->headers,
                                  .header_count = s->header_count,
                                  .payload = s->payload,
                                  .payload_len = s->payload_len,
                                  .timeout_ms = s->timeout_ms};
        size_t unique_len = make_payload(s, w->index, i, unique, capacity);
        if (s->unique) {
            request.payload = unique;
            request.payload_len = unique_len;
        }
        shmipc_reply reply;
        shmipc_error err;
        int64_t start = now_ns();
        shmipc_status status = shmipc_call(w->client, &request, &reply, &err);
        int64_t elapsed = now_ns() - start;
        if (i < 0) {
            shmipc_reply_free(&reply);
            continue;
        }
        w->latencies_ns[i] = elapsed;
        if (status != SHMIPC_OK) {
            if (w->failed++ == 0) {
                w->first_error = err;
            }
            w->by_status[-status < 10 ? -status : 9]++;
            continue;
        }
        if (s->unique && (reply.len != request.payload_len || memcmp(reply.data, request.payload, reply.len) != 0)) {
            w->mismatched++;
        } else {
            w->ok++;
        }
        shmipc_reply_free(&reply);
    }
    free(unique);
    return NULL;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double percentile_us(const int64_t *sorted, size_t count, double p)
{
    if (count == 0) {
        return 0;
    }
    size_t rank = (size_t)(p / 100.0 * (double)count + 0.999999);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > count) {
        rank = count;
    }
    return (double)sorted[rank - 1] / 1000.0;
}

static int read_all(FILE *in, uint8_t **out, size_t *out_len)
{
    size_t capacity = 4096;
    size_t length = 0;
    uint8_t *data = malloc(capacity);
    while (data != NULL) {
        size_t n = fread(data + length, 1, capacity - length, in);
        length += n;
        if (n == 0) {
            break;
        }
        if (length == capacity) {
            uint8_t *bigger = realloc(data, capacity * 2);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            capacity *= 2;
        }
    }
    if (data == NULL || ferror(in)) {
        free(data);
        return -1;
    }
    *out = data;
    *out_len = length;
    return 0;
}

static long parse_long(const char *text, const char *what, long min)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min) {
        fprintf(stderr, "shmipc-call: %s must be an integer >= %ld, was '%s'\n", what, min, text);
        exit(EXIT_USAGE);
    }
    return value;
}

static int parse_arguments(int argc, char **argv, struct settings *s)
{
    const char *file = NULL;
    long size = -1;
    int option;
    while ((option = getopt(argc, argv, "d:f:s:H:T:n:w:t:uqih")) != -1) {
        switch (option) {
        case 'd': s->directory = optarg; break;
        case 'f': file = optarg; break;
        case 's': size = parse_long(optarg, "-s", 0); break;
        case 'H': {
            char *equals = strchr(optarg, '=');
            if (equals == NULL || s->header_count == MAX_HEADERS) {
                fprintf(stderr, "shmipc-call: -H takes KEY=VALUE, at most %d times\n", MAX_HEADERS);
                return -1;
            }
            *equals = '\0';
            s->headers[s->header_count].key = optarg;
            s->headers[s->header_count].value = equals + 1;
            s->header_count++;
            break;
        }
        case 'T': s->timeout_ms = (uint32_t)parse_long(optarg, "-T", 1); break;
        case 'n': s->calls = parse_long(optarg, "-n", 1); break;
        case 'w': s->warmup = parse_long(optarg, "-w", 0); break;
        case 't': s->threads = (int)parse_long(optarg, "-t", 1); break;
        case 'u': s->unique = 1; break;
        case 'q': s->quiet = 1; break;
        case 'i': s->include_headers = 1; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (argc - optind < 2 || argc - optind > 3) {
        return -1;
    }
    s->name = argv[optind];
    s->route = argv[optind + 1];
    int sources = (argc - optind == 3) + (file != NULL) + (size >= 0);
    if (sources > 1) {
        fprintf(stderr, "shmipc-call: give the payload once: PAYLOAD, -f or -s\n");
        return -1;
    }
    if (argc - optind == 3) {
        s->payload = (uint8_t *)argv[optind + 2];
        s->payload_len = strlen(argv[optind + 2]);
    } else if (file != NULL) {
        FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
        if (in == NULL || read_all(in, &s->payload, &s->payload_len) != 0) {
            fprintf(stderr, "shmipc-call: cannot read payload from %s: %s\n", file, strerror(errno));
            exit(EXIT_USAGE);
        }
        if (in != stdin) {
            fclose(in);
        }
        s->payload_allocated = 1;
    } else if (size >= 0) {
        s->payload = malloc((size_t)size + 1);
        if (s->payload == NULL) {
            fprintf(stderr, "shmipc-call: out of memory\n");
            exit(EXIT_USAGE);
        }
        memset(s->payload, 'x', (size_t)size);
        s->payload_len = (size_t)size;
        s->payload_allocated = 1;
    }
    return 0;
}

static int single_call(shmipc_client *client, const struct settings *s)
{
    shmipc_request request = {.route = s->route,
                              .headers = s->headers,
                              .header_count = s->header_count,
                              .payload = s->payload,
                              .payload_len = s->payload_len,
                              .timeout_ms = s->timeout_ms};
    shmipc_reply reply;
    shmipc_error err;
    shmipc_status status = shmipc_call(client, &request, &reply, &err);
    if (status != SHMIPC_OK) {
        print_error(&err);
        return -status;
    }
    for (size_t i = 0; s->include_headers && i < reply.header_count; i++) {
        fprintf(stderr, "header: %s=%s\n", reply.headers[i].key, reply.headers[i].value);
    }
    if (!s->quiet) {
        fwrite(reply.data, 1, reply.len, stdout);
        fflush(stdout);
    }
    shmipc_reply_free(&reply);
    return 0;
}

static int many_calls(shmipc_client *client, const struct settings *s)
{
    struct worker *workers = calloc((size_t)s->threads, sizeof(*workers));
    int64_t *latencies = calloc((size_t)s->threads * (size_t)s->calls, sizeof(int64_t));
    if (workers == NULL || latencies == NULL) {
        fprintf(stderr, "shmipc-call: out of memory for %ld latencies\n", (long)s->threads * s->calls);
        return EXIT_USAGE;
    }
    int64_t start = now_ns();
    for (int t = 0; t < s->threads; t++) {
        workers[t].index = t;
        workers[t].settings = s;
        workers[t].client = client;
        workers[t].latencies_ns = latencies + (size_t)t * (size_t)s->calls;
        if (pthread_create(&workers[t].thread, NULL, run_worker, &workers[t]) != 0) {
            fprintf(stderr, "shmipc-call: cannot start thread %d\n", t);
            return EXIT_USAGE;
        }
    }
    long ok = 0, failed = 0, mismatched = 0;
    long by_status[10] = {0};
    const shmipc_error *first = NULL;
    for (int t = 0; t < s->threads; t++) {
        pthread_join(workers[t].thread, NULL);
        ok += workers[t].ok;
        failed += workers[t].failed;
        mismatched += workers[t].mismatched;
        for (int k = 0; k < 10; k++) {
            by_status[k] += workers[t].by_status[k];
        }
        if (first == NULL && workers[t].failed > 0) {
            first = &workers[t].first_error;
        }
    }
    double seconds = (double)(now_ns() - start) / 1e9;
    size_t count = (size_t)s->threads * (size_t)s->calls;
    qsort(latencies, count, sizeof(int64_t), compare_i64);
    printf("calls=%zu ok=%ld failed=%ld mismatched=%ld threads=%d payload_bytes=%zu seconds=%.3f calls_per_s=%.0f "
           "p50_us=%.2f p90_us=%.2f p99_us=%.2f p999_us=%.2f max_us=%.2f\n",
           count, ok, failed, mismatched, s->threads, s->payload_len, seconds, (double)count / seconds,
           percentile_us(latencies, count, 50), percentile_us(latencies, count, 90),
           percentile_us(latencies, count, 99), percentile_us(latencies, count, 99.9),
           percentile_us(latencies, count, 100));
    if (failed > 0) {
        fprintf(stderr, "shmipc-call: failures by status:");
        for (int k = 1; k < 10; k++) {
            if (by_status[k] > 0) {
                fprintf(stderr, " %s=%ld", shmipc_status_name((shmipc_status)-k), by_status[k]);
            }
        }
        fprintf(stderr, "; the first:\n");
        print_error(first);
    }
    fflush(stdout);
    free(latencies);
    free(workers);
    return failed == 0 && mismatched == 0 ? 0 : EXIT_SOME_FAILED;
}

int main(int argc, char **argv)
{
    struct settings s;
    memset(&s, 0, sizeof(s));
    s.timeout_ms = 5000;
    s.calls = 1;
    s.threads = 1;
    if (parse_arguments(argc, argv, &s) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    shmipc_client *client;
    shmipc_error err;
    int code;
    if (shmipc_client_new(s.name, s.directory, NULL, &client, &err) != SHMIPC_OK) {
        print_error(&err);
        code = -err.status;
    } else {
        int multi = s.calls > 1 || s.threads > 1 || s.warmup > 0 || s.unique;
        code = multi ? many_calls(client, &s) : single_call(client, &s);
        shmipc_client_close(client);
    }
    if (s.payload_allocated) {
        free(s.payload);
    }
    return code;
}

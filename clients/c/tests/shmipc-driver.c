/*
 * Test driver for the interop tests (shmipc-interop-tests): one shmipc_client kept for the whole run,
 * driven by stdin lines, so that a test can make calls across a server restart from one process.
 *
 *   usage: shmipc-driver NAME DIRECTORY
 *   stdin:  call ROUTE TIMEOUT_MS [PAYLOAD]   one call; PAYLOAD is the rest of the line
 *           callhex HEX TIMEOUT_MS [PAYLOAD]  the same with the route's bytes in hex (e.g. fffe)
 *           connect                           shmipc_client_connect
 *           load ROUTE THREADS                starts THREADS threads calling ROUTE (an echo) with unique
 *                                             payloads, 2 s timeout, until unload; prints OK
 *           report                            prints LOAD ok=N failed=F mismatched=M (counts so far)
 *           unload                            stops and joins the load threads, then prints LOAD ...
 *   stdout: READY at start, then per command
 *           OK <reply bytes>
 *           ERR <status name> unknown=<0|1> type=<remote type> message=<message>
 * Exits 0 at stdin EOF.
 */
#define _GNU_SOURCE
#include "shmipc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LOAD_THREADS 64

/* Background load: threads sharing the one client, so a test can restart the server under them. */
static struct {
    shmipc_client *client;
    char route[256];
    int stop;
    long ok;
    long failed;
    long mismatched;
    int threads;
    pthread_t thread[MAX_LOAD_THREADS];
} load;

static void *load_thread(void *argument)
{
    long index = (long)argument;
    char payload[64];
    for (long i = 0; !__atomic_load_n(&load.stop, __ATOMIC_ACQUIRE); i++) {
        int n = snprintf(payload, sizeof(payload), "%ld-%ld-%ld", (long)getpid(), index, i);
        shmipc_request request = {
            .route = load.route, .payload = payload, .payload_len = (size_t)n, .timeout_ms = 2000};
        shmipc_reply reply;
        shmipc_error err;
        if (shmipc_call(load.client, &request, &reply, &err) == SHMIPC_OK) {
            int same = reply.len == (size_t)n && memcmp(reply.data, payload, (size_t)n) == 0;
            __atomic_add_fetch(same ? &load.ok : &load.mismatched, 1, __ATOMIC_RELAXED);
            shmipc_reply_free(&reply);
        } else {
            __atomic_add_fetch(&load.failed, 1, __ATOMIC_RELAXED);
            usleep(1000); /* no server for now: do not spin on the failure */
        }
    }
    return NULL;
}

static void report_load(void)
{
    printf("LOAD ok=%ld failed=%ld mismatched=%ld\n", __atomic_load_n(&load.ok, __ATOMIC_RELAXED),
           __atomic_load_n(&load.failed, __ATOMIC_RELAXED), __atomic_load_n(&load.mismatched, __ATOMIC_RELAXED));
    fflush(stdout);
}

static void unload(void)
{
    __atomic_store_n(&load.stop, 1, __ATOMIC_RELEASE);
    for (int t = 0; t < load.threads; t++) {
        pthread_join(load.thread[t], NULL);
    }
    load.threads = 0;
}

static void report(shmipc_status status, const shmipc_error *err, const shmipc_reply *reply)
{
    if (status == SHMIPC_OK) {
        printf("OK %.*s\n", reply == NULL ? 0 : (int)reply->len, reply == NULL ? "" : (const char *)reply->data);
    } else {
        printf("ERR %s unknown=%d type=%s message=%s\n", shmipc_status_name(status), err->outcome_unknown,
               err->remote_type, err->message);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: shmipc-driver NAME DIRECTORY\n");
        return 64;
    }
    shmipc_client *client;
    shmipc_error err;
    shmipc_status status = shmipc_client_new(argv[1], argv[2], NULL, &client, &err);
    if (status != SHMIPC_OK) {
        report(status, &err, NULL);
        return 1;
    }
    printf("READY\n");
    fflush(stdout);
    char line[8192];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, "connect") == 0) {
            report(shmipc_client_connect(client, &err), &err, NULL);
            continue;
        }
        int threads;
        if (sscanf(line, "load %255s %d", load.route, &threads) == 2 && load.threads == 0 && threads > 0 &&
            threads <= MAX_LOAD_THREADS) {
            load.client = client;
            load.stop = 0;
            for (long t = 0; t < threads; t++) {
                pthread_create(&load.thread[t], NULL, load_thread, (void *)t);
            }
            load.threads = threads;
            printf("OK\n");
            fflush(stdout);
            continue;
        }
        if (strcmp(line, "report") == 0 || strcmp(line, "unload") == 0) {
            if (line[0] == 'u') {
                unload();
            }
            report_load();
            continue;
        }
        char route[256];
        unsigned timeout_ms;
        int consumed = 0;
        int hex = sscanf(line, "callhex %255s %u%n", route, &timeout_ms, &consumed) == 2;
        if (hex) {
            size_t n = strlen(route) / 2;
            for (size_t i = 0; i < n; i++) {
                unsigned byte;
                sscanf(route + 2 * i, "%2x", &byte);
                route[i] = (char)byte;
            }
            route[n] = '\0';
        }
        if (hex || sscanf(line, "call %255s %u%n", route, &timeout_ms, &consumed) == 2) {
            const char *payload = line + consumed;
            if (*payload == ' ') {
                payload++;
            }
            shmipc_request request = {
                .route = route, .payload = payload, .payload_len = strlen(payload), .timeout_ms = timeout_ms};
            shmipc_reply reply;
            status = shmipc_call(client, &request, &reply, &err);
            report(status, &err, &reply);
            shmipc_reply_free(&reply);
            continue;
        }
        printf("UNKNOWN %s\n", line);
        fflush(stdout);
    }
    unload();
    shmipc_client_close(client);
    return 0;
}

/*
 * Test driver for the interop tests (shmipc-interop-tests): one shmipc_client kept for the whole run,
 * driven by stdin lines, so that a test can make calls across a server restart from one process.
 *
 *   usage: shmipc-driver NAME DIRECTORY
 *   stdin:  call ROUTE TIMEOUT_MS [PAYLOAD]   one call; PAYLOAD is the rest of the line
 *           callhex HEX TIMEOUT_MS [PAYLOAD]  the same with the route's bytes in hex (e.g. fffe)
 *           connect                           shmipc_client_connect
 *   stdout: READY at start, then per command
 *           OK <reply bytes>
 *           ERR <status name> unknown=<0|1> type=<remote type> message=<message>
 * Exits 0 at stdin EOF.
 */
#define _GNU_SOURCE
#include "shmipc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    shmipc_client_close(client);
    return 0;
}

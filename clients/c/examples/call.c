/*
 * The README's "From C" example as a program: calls ROUTE on the shmipc server for NAME with PAYLOAD and
 * prints the reply. Built by the Makefile, so the example in the README always compiles.
 *
 *   usage: call NAME ROUTE PAYLOAD
 */
#include "shmipc.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: call NAME ROUTE PAYLOAD\n");
        return 64;
    }
    shmipc_client *client;
    shmipc_error err;
    shmipc_reply reply;
    if (shmipc_client_new(argv[1], NULL /* /dev/shm */, NULL, &client, &err) != SHMIPC_OK) {
        fprintf(stderr, "%s: %s\n", shmipc_status_name(err.status), err.message);
        return 1;
    }
    shmipc_request req = {.route = argv[2], .payload = argv[3], .payload_len = strlen(argv[3]), .timeout_ms = 2000};
    int code = 0;
    if (shmipc_call(client, &req, &reply, &err) == SHMIPC_OK) {
        fwrite(reply.data, 1, reply.len, stdout);
        shmipc_reply_free(&reply);
    } else {
        fprintf(stderr, "%s%s: %s\n", shmipc_status_name(err.status), err.outcome_unknown ? " (outcome unknown)" : "",
                err.message);
        code = 1;
    }
    shmipc_client_close(client);
    return code;
}

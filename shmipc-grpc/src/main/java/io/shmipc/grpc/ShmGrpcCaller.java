package io.shmipc.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shmipc.core.ShmException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmServerUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Calls shmipc routes on a server in another host (or container) through gRPC: the client half of
 * {@link ShmGrpcService}. Thread-safe; a call holds no thread while it waits, and a blocking call only
 * parks its caller.
 *
 * <pre>{@code
 * ShmGrpcCaller caller = new ShmGrpcCaller(channel, "agent-host:9090", 4 * 1024 * 1024);
 * byte[] reply = caller.call("echo", Map.of(), "hi".getBytes(UTF_8), Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Failures are the same exceptions as on shared memory: {@code ShmTimeoutException} (deadline,
 * outcome unknown), {@code ShmServerUnavailableException} (naming the address and the cause; outcome
 * unknown unless the connection was never made), {@code ShmRemoteException}, {@code ShmNoHandlerException}
 * and {@code ShmPayloadTooLargeException} (a request over {@code maxPayload} is refused before sending).
 */
public final class ShmGrpcCaller {

    /** The route named in the errors of a {@link #ping}. */
    private static final String PING_ROUTE = "(ping)";

    private final Channel channel;
    private final String target;
    private final int maxPayload;

    /**
     * @param channel the channel to the remote server; the caller owns and closes it
     * @param target the remote address as configured, named in errors
     * @param maxPayload the largest request sent, in bytes (the remote end's inbound limit)
     */
    public ShmGrpcCaller(Channel channel, String target, int maxPayload) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.target = Objects.requireNonNull(target, "target");
        if (maxPayload <= 0) {
            throw new IllegalArgumentException("maxPayload must be positive, was " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    /** @return the remote address as configured */
    public String target() {
        return target;
    }

    /**
     * Calls a route and waits for the reply.
     *
     * @param route the route
     * @param headers request headers
     * @param payload the request payload
     * @param timeout the deadline, which the server also sees
     * @return the reply payload
     * @throws ShmException on any failure, as described on the class
     */
    public byte[] call(String route, Map<String, String> headers, byte[] payload, Duration timeout) {
        return await(exchangeAsync(route, headers, payload, timeout), route, timeout)
                .body();
    }

    /**
     * Calls a route and waits for the reply and its headers.
     *
     * @param route the route
     * @param headers request headers
     * @param payload the request payload
     * @param timeout the deadline, which the server also sees
     * @return the reply and the headers the handler set on it
     * @throws ShmException on any failure, as described on the class
     */
    public Reply exchange(String route, Map<String, String> headers, byte[] payload, Duration timeout) {
        return await(exchangeAsync(route, headers, payload, timeout), route, timeout);
    }

    private Reply await(CompletableFuture<Reply> reply, String route, Duration timeout) {
        try {
            // The deadline is enforced by gRPC; the extra second only guards against a lost completion.
            return reply.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            throw unwrap(ex.getCause());
        } catch (InterruptedException ex) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw new ShmServerUnavailableException("interrupted while waiting for " + target, true);
        } catch (java.util.concurrent.TimeoutException ex) {
            throw new io.shmipc.core.ShmTimeoutException(
                    "no reply from " + target + " for route '" + route + "' within " + timeout, true);
        }
    }

    /**
     * Calls a route without holding a thread while waiting.
     *
     * @param route the route
     * @param headers request headers
     * @param payload the request payload
     * @param timeout the deadline, which the server also sees
     * @return the reply, or completed exceptionally with the exceptions described on the class
     */
    public CompletableFuture<byte[]> callAsync(
            String route, Map<String, String> headers, byte[] payload, Duration timeout) {
        return exchangeAsync(route, headers, payload, timeout).thenApply(Reply::body);
    }

    /**
     * Asks the remote end whether it answers, without running any handler ({@code shmipc.v1.Shm/Ping}).
     *
     * @param timeout how long to wait for the answer
     * @throws ShmException when it does not answer in time, cannot be reached, or serves no shmipc; the
     *     message names the address and the cause (e.g. the certificate problem of a TLS handshake)
     */
    public void ping(Duration timeout) {
        await(send(ShmGrpcDescriptor.PING, PING_ROUTE, Map.of(), new byte[0], timeout), PING_ROUTE, timeout);
    }

    /**
     * Calls a route without holding a thread while waiting.
     *
     * @param route the route
     * @param headers request headers
     * @param payload the request payload
     * @param timeout the deadline, which the server also sees
     * @return the reply and its headers, or completed exceptionally as described on the class
     */
    public CompletableFuture<Reply> exchangeAsync(
            String route, Map<String, String> headers, byte[] payload, Duration timeout) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
        if (payload.length > maxPayload) {
            return CompletableFuture.failedFuture(new ShmPayloadTooLargeException(
                    "request to " + target + " for route '" + route + "'",
                    payload.length,
                    maxPayload,
                    "the gRPC message limit (shmipc.client.grpc.max-payload, and"
                            + " spring.grpc.server.inbound.message.max-size on the server)"));
        }
        return send(ShmGrpcDescriptor.CALL, route, headers, payload, timeout);
    }

    private CompletableFuture<Reply> send(
            MethodDescriptor<byte[], byte[]> method,
            String route,
            Map<String, String> headers,
            byte[] payload,
            Duration timeout) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        Metadata metadata = new Metadata();
        metadata.put(ShmGrpcDescriptor.ROUTE, route);
        if (!headers.isEmpty()) {
            metadata.put(ShmGrpcDescriptor.HEADERS, ShmGrpcHeaders.encode(headers));
        }
        ClientCall<byte[], byte[]> call = channel.newCall(
                method, CallOptions.DEFAULT.withDeadlineAfter(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS));
        call.start(
                new ClientCall.Listener<>() {
                    // gRPC calls a listener's methods one at a time, in order: plain fields suffice.
                    private Map<String, String> replyHeaders = Map.of();
                    private byte[] reply;

                    @Override
                    public void onHeaders(Metadata headers) {
                        byte[] encoded = headers.get(ShmGrpcDescriptor.HEADERS);
                        if (encoded != null) {
                            replyHeaders = ShmGrpcHeaders.decode(encoded);
                        }
                    }

                    @Override
                    public void onMessage(byte[] message) {
                        reply = message;
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (status.isOk() && reply != null) {
                            result.complete(new Reply(reply, replyHeaders));
                        } else if (status.isOk()) {
                            result.completeExceptionally(
                                    new io.shmipc.core.ShmProtocolException(target + " closed a call with no reply"));
                        } else {
                            result.completeExceptionally(ShmGrpcStatus.toException(
                                    route, target, new StatusRuntimeException(status, trailers)));
                        }
                    }
                },
                metadata);
        call.request(1);
        call.sendMessage(payload);
        call.halfClose();
        result.whenComplete((reply, failure) -> {
            if (result.isCancelled()) {
                call.cancel("cancelled by the caller", null);
            }
        });
        return result;
    }

    /**
     * A reply as it came back.
     *
     * @param body the reply payload
     * @param headers the headers the handler set on the reply; empty if none
     */
    public record Reply(byte[] body, Map<String, String> headers) {}

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new ShmServerUnavailableException("gRPC call failed: " + cause, true);
    }
}

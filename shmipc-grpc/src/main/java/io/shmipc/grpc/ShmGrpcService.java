package io.shmipc.grpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.shmipc.core.ShmInMemoryExchange;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmRequestHandler;
import io.shmipc.spring.ShmHandlerDispatcher;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves shmipc calls that arrive over gRPC with the same {@link ShmRequestHandler} that serves shared
 * memory, so every {@code @ShmHandler} route answers on both. Register it as a bean and Spring Boot's
 * gRPC server binds it; the port, address and TLS are Boot's own {@code spring.grpc.server.*} settings.
 *
 * <p>Each call runs on the gRPC server's executor. A reply longer than {@code capacity} is refused as
 * it would be by a slot, so a handler behaves the same whichever transport called it.
 */
public final class ShmGrpcService implements BindableService {

    private final ShmRequestHandler handler;
    private final int capacity;

    /**
     * @param handler serves the calls; the Spring layer's handler dispatcher
     * @param capacity the largest request or reply, in bytes (as the slot size is on shared memory)
     */
    public ShmGrpcService(ShmRequestHandler handler, int capacity) {
        this.handler = Objects.requireNonNull(handler, "handler");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(ShmGrpcDescriptor.SERVICE_NAME)
                .addMethod(ShmGrpcDescriptor.CALL, this::startCall)
                .addMethod(ShmGrpcDescriptor.PING, ShmGrpcService::ping)
                .build();
    }

    private static ServerCall.Listener<byte[]> ping(ServerCall<byte[], byte[]> call, Metadata headers) {
        call.request(1);
        return new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                call.sendHeaders(new Metadata());
                call.sendMessage(new byte[0]);
                call.close(Status.OK, new Metadata());
            }
        };
    }

    private ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
        // Unary: exactly one request message; ask for two so that a misbehaving peer's extra one is seen.
        call.request(2);
        return new ServerCall.Listener<>() {
            private byte[] payload;

            @Override
            public void onMessage(byte[] message) {
                if (payload != null) {
                    call.close(
                            Status.INVALID_ARGUMENT.withDescription("a shmipc call carries one payload"),
                            new Metadata());
                    return;
                }
                payload = message;
            }

            @Override
            public void onHalfClose() {
                if (payload == null) {
                    call.close(
                            Status.INVALID_ARGUMENT.withDescription("a shmipc call carries one payload"),
                            new Metadata());
                    return;
                }
                serve(call, headers, payload);
            }
        };
    }

    private void serve(ServerCall<byte[], byte[]> call, Metadata metadata, byte[] payload) {
        String route = metadata.get(ShmGrpcDescriptor.ROUTE);
        if (route == null || route.isEmpty()) {
            call.close(
                    Status.INVALID_ARGUMENT.withDescription(
                            "no shmipc-route metadata: call through ShmTemplate, or send the route in shmipc-route"),
                    new Metadata());
            return;
        }
        byte[] reply;
        Map<String, String> replyHeaders;
        try {
            byte[] encodedHeaders = metadata.get(ShmGrpcDescriptor.HEADERS);
            Map<String, String> headers = encodedHeaders == null ? Map.of() : ShmGrpcHeaders.decode(encodedHeaders);
            ShmInMemoryExchange exchange = ShmInMemoryExchange.of(
                    route,
                    headers,
                    payload,
                    capacity,
                    0,
                    0,
                    deadlineEpochMillis(Context.current().getDeadline()));
            if (handler instanceof ShmHandlerDispatcher dispatcher) {
                // Spring's dispatcher tags its server observation with the transport that delivered the call.
                dispatcher.handle(exchange, exchange, ShmGrpcTransport.TRANSPORT_NAME);
            } else {
                handler.handle(exchange, exchange);
            }
            reply = exchange.replyBytes();
            replyHeaders = exchange.replyHeaders();
        } catch (Throwable failure) {
            call.close(ShmGrpcStatus.toStatus(route, failure), trailers(route, failure));
            return;
        }
        Metadata responseHeaders = new Metadata();
        if (!replyHeaders.isEmpty()) {
            responseHeaders.put(ShmGrpcDescriptor.HEADERS, ShmGrpcHeaders.encode(replyHeaders));
        }
        call.sendHeaders(responseHeaders);
        call.sendMessage(reply);
        call.close(Status.OK, new Metadata());
    }

    private static long deadlineEpochMillis(Deadline deadline) {
        if (deadline == null) {
            return 0;
        }
        return System.currentTimeMillis() + deadline.timeRemaining(TimeUnit.MILLISECONDS);
    }

    private static Metadata trailers(String route, Throwable failure) {
        Metadata trailers = new Metadata();
        switch (failure) {
            case ShmNoHandlerException noHandler -> trailers.put(ShmGrpcDescriptor.ROUTE, route);
            case ShmPayloadTooLargeException tooLarge -> {
                trailers.put(ShmGrpcDescriptor.SIZE, Long.toString(tooLarge.getSize()));
                trailers.put(ShmGrpcDescriptor.CAPACITY, Long.toString(tooLarge.getCapacity()));
            }
            case ShmRemoteException remote -> {
                trailers.put(ShmGrpcDescriptor.REMOTE_TYPE, remote.getRemoteType());
                trailers.put(ShmGrpcDescriptor.REMOTE_MESSAGE, utf8(remote.getRemoteMessage()));
                if (remote.errorCode() != null) {
                    trailers.put(ShmGrpcDescriptor.ERROR_CODE, utf8(remote.errorCode()));
                }
            }
            default -> {
                trailers.put(ShmGrpcDescriptor.REMOTE_TYPE, failure.getClass().getName());
                trailers.put(ShmGrpcDescriptor.REMOTE_MESSAGE, utf8(failure.getMessage()));
            }
        }
        return trailers;
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}

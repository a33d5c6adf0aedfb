package io.shmipc.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shmipc.core.ShmException;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Maps failures to gRPC statuses on the server, and statuses back to the shmipc exceptions on the client,
 * so that a caller sees the same exception types whichever transport carried its call.
 */
final class ShmGrpcStatus {

    private ShmGrpcStatus() {}

    /** The status a server sends for a handler's failure. */
    static Status toStatus(String route, Throwable failure) {
        return switch (failure) {
            case ShmNoHandlerException noHandler ->
                Status.UNIMPLEMENTED.withDescription("no handler for route '" + route + "'");
            case ShmPayloadTooLargeException tooLarge ->
                Status.RESOURCE_EXHAUSTED.withDescription(tooLarge.getMessage());
            default ->
                Status.UNKNOWN.withDescription("handler for route '" + route + "' threw "
                        + failure.getClass().getName());
        };
    }

    /**
     * The exception a client throws for a failed call.
     *
     * @param route the route called
     * @param target the remote address, named in connection errors
     * @param failure what gRPC reported
     * @return the shmipc exception for it
     */
    static ShmException toException(String route, String target, StatusRuntimeException failure) {
        Status status = failure.getStatus();
        Metadata trailers = failure.getTrailers() == null ? new Metadata() : failure.getTrailers();
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED ->
                new ShmTimeoutException(
                        "no reply from " + target + " for route '" + route + "' before the deadline; it may have run",
                        true);
            case UNIMPLEMENTED ->
                trailers.containsKey(ShmGrpcDescriptor.ROUTE)
                        ? new ShmNoHandlerException(route)
                        : new ShmServerUnavailableException(
                                target
                                        + " answers gRPC but serves no shmipc; set shmipc.grpc.server.enabled=true there",
                                false);
            case RESOURCE_EXHAUSTED -> tooLarge(route, trailers, status);
            case UNKNOWN ->
                trailers.containsKey(ShmGrpcDescriptor.REMOTE_TYPE)
                        ? new ShmRemoteException(
                                route,
                                trailers.get(ShmGrpcDescriptor.REMOTE_TYPE),
                                utf8(trailers.get(ShmGrpcDescriptor.REMOTE_MESSAGE)),
                                trailers.containsKey(ShmGrpcDescriptor.ERROR_CODE)
                                        ? utf8(trailers.get(ShmGrpcDescriptor.ERROR_CODE))
                                        : null)
                        : unavailable(route, target, status, true);
            case UNAVAILABLE -> unavailable(route, target, status, !neverSent(status));
            default -> unavailable(route, target, status, true);
        };
    }

    private static ShmException tooLarge(String route, Metadata trailers, Status status) {
        String size = trailers.get(ShmGrpcDescriptor.SIZE);
        String capacity = trailers.get(ShmGrpcDescriptor.CAPACITY);
        if (size != null && capacity != null) {
            return new ShmPayloadTooLargeException(
                    "payload of route '" + route + "' on the remote server",
                    Long.parseLong(size),
                    Long.parseLong(capacity));
        }
        // gRPC's own message-size limit refused it before any handler saw it.
        return new ShmServerUnavailableException(
                "the remote server refused the call to route '" + route + "': " + status.getDescription()
                        + "; raise spring.grpc.server.inbound.message.max-size there",
                false);
    }

    private static ShmServerUnavailableException unavailable(
            String route, String target, Status status, boolean outcomeUnknown) {
        StringBuilder message = new StringBuilder("shmipc server at ")
                .append(target)
                .append(" is unavailable for route '")
                .append(route)
                .append("': ")
                .append(status.getCode());
        if (status.getDescription() != null) {
            message.append(" (").append(status.getDescription()).append(')');
        }
        Throwable cause = rootCause(status.getCause());
        if (cause != null) {
            message.append("; cause: ").append(cause);
            if (cause instanceof SSLException || status.getCause() instanceof SSLException) {
                message.append("; check that both ends trust each other's certificates"
                        + " (spring.grpc.server.ssl.bundle, spring.grpc.client.channel.<name>.ssl.bundle)");
            }
        }
        if (outcomeUnknown) {
            message.append("; the request may have run");
        }
        ShmServerUnavailableException exception = new ShmServerUnavailableException(message.toString(), outcomeUnknown);
        if (status.getCause() != null) {
            exception.initCause(status.getCause());
        }
        return exception;
    }

    /** Connection refused or a failed handshake: the request never left this process. */
    private static boolean neverSent(Status status) {
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Throwable rootCause(@Nullable Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String utf8(byte @Nullable [] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}

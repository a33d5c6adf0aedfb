package io.shmipc.spring;

import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import org.jspecify.annotations.Nullable;

/** How a request ended: the {@code outcome} tag of shmipc observations and metrics. */
public enum ShmOutcome {

    /** A reply came back. */
    SUCCESS,
    /** No reply within the timeout. */
    TIMEOUT,
    /** No live server served the name. */
    UNAVAILABLE,
    /** The server has no handler for the route. */
    NO_HANDLER,
    /** The handler threw. */
    REMOTE_ERROR,
    /** The request or the reply did not fit in a slot. */
    PAYLOAD_TOO_LARGE,
    /** Anything else, e.g. a codec failure, or on the server side an exception from the handler. */
    ERROR;

    /**
     * @param error the failure, or {@code null} for success
     * @return the outcome it stands for
     */
    public static ShmOutcome of(@Nullable Throwable error) {
        return switch (error) {
            case null -> SUCCESS;
            case ShmTimeoutException e -> TIMEOUT;
            case ShmServerUnavailableException e -> UNAVAILABLE;
            case ShmNoHandlerException e -> NO_HANDLER;
            case ShmRemoteException e -> REMOTE_ERROR;
            case ShmPayloadTooLargeException e -> PAYLOAD_TOO_LARGE;
            default -> ERROR;
        };
    }
}

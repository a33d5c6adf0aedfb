package io.shmipc.core;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every failure shmipc reports. Unchecked, so callers handle only what they care about.
 * Each subclass names one cause, and each message says what to do about it.
 */
public class ShmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to do */
    public ShmException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public ShmException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

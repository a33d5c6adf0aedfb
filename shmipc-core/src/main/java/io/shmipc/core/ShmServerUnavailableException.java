package io.shmipc.core;

/**
 * No server answers for the name: none was started, it stopped, it is stopping, or it died.
 * The message says which, and whether the request may have run ("outcome unknown") or certainly did not.
 */
public class ShmServerUnavailableException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /** @param message what happened, naming the server name and region path */
    public ShmServerUnavailableException(String message) {
        this(message, false);
    }

    /**
     * @param message what happened, naming the server name and region path
     * @param outcomeUnknown true when the server had already taken the request, so it may have run
     */
    public ShmServerUnavailableException(String message, boolean outcomeUnknown) {
        super(message);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * @param message what happened
     * @param cause the I/O failure behind it
     */
    public ShmServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = false;
    }

    /** @return true when the request reached the server before it went away, so it may have run */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}

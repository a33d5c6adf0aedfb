package io.shmipc.core;

/**
 * No reply came within the call's timeout. {@link #isOutcomeUnknown()} tells whether the server had
 * started the request (it may still run to completion) or never saw it (it certainly did not run).
 * A late reply is discarded by the server and never reaches a later request.
 */
public class ShmTimeoutException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /**
     * @param message what timed out and after how long
     * @param outcomeUnknown true when the server was already processing the request
     */
    public ShmTimeoutException(String message, boolean outcomeUnknown) {
        super(message);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** @return true when the server had started the request, so it may have run */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}

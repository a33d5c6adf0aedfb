package io.shmipc.testing;

/** A child JVM did not do what was awaited: it stayed silent, ended early, or would not stop. */
public final class ChildProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the child did not do, with the tail of its output
     */
    public ChildProcessException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what the child did not do
     * @param cause why
     */
    public ChildProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}

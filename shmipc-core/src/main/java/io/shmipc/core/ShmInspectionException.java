package io.shmipc.core;

/**
 * An inspection or clean-up could not be done; nothing was modified. {@link #reason()} says what kind
 * of problem it is, so tools can map it to an exit code; the message says what was found and what to do.
 */
public class ShmInspectionException extends ShmException {

    private static final long serialVersionUID = 1L;

    /** What kind of problem stopped the inspection. */
    public enum Reason {
        /** The region directory does not exist or is not a directory. */
        NO_DIRECTORY,
        /** The name is not a valid shmipc name. */
        INVALID_NAME,
        /** No region file has that name. */
        NO_REGION,
        /** The file is not a shmipc region: a symbolic link, too short, wrong magic or corrupt geometry. */
        NOT_A_REGION,
        /** The file is a shmipc region of another layout version. */
        OTHER_LAYOUT,
        /** The file exists but this user may not open it. */
        NOT_ACCESSIBLE,
        /**
         * Only the name's lock file is there, its region gone (a server killed while starting, or a region deleted
         * by hand); a clean-up removes it when nobody holds its lock.
         */
        ORPHAN_LOCK
    }

    private final Reason reason;

    /**
     * @param reason the kind of problem
     * @param message what was found and what to do
     */
    public ShmInspectionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason the kind of problem
     * @param message what was found and what to do
     * @param cause the underlying failure
     */
    public ShmInspectionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return the kind of problem */
    public Reason reason() {
        return reason;
    }
}

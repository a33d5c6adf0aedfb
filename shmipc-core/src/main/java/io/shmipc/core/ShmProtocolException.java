package io.shmipc.core;

/**
 * Shared memory did not hold what the protocol allows: a region of another magic, layout version or
 * geometry, or a slot whose fields some process overwrote. The message names what was expected and
 * what was found.
 */
public class ShmProtocolException extends ShmException {

    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what was found */
    public ShmProtocolException(String message) {
        super(message);
    }
}

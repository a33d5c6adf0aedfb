package io.shmipc.core;

/**
 * The server's handler threw. Carries the remote exception's class name and message; the remote
 * stack trace is deliberately not sent.
 */
public class ShmRemoteException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;
    private final String remoteMessage;

    /**
     * @param route the route that was called
     * @param remoteType fully qualified class name of the exception the handler threw
     * @param remoteMessage its message, possibly empty
     */
    public ShmRemoteException(String route, String remoteType, String remoteMessage) {
        super("handler for route '" + route + "' threw " + remoteType
                + (remoteMessage == null || remoteMessage.isEmpty() ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
    }

    /** @return fully qualified class name of the exception thrown by the remote handler */
    public String getRemoteType() {
        return remoteType;
    }

    /** @return the remote exception's message, possibly empty */
    public String getRemoteMessage() {
        return remoteMessage;
    }
}

package io.shmipc.core;

/**
 * The server's handler threw. Carries the remote exception's class name, its message and, when the
 * server's application set one, an application error code; the remote stack trace is deliberately not
 * sent.
 *
 * <p>A handler may also throw this exception itself (for example an error mapping that chose a code, or
 * a handler passing on the failure of a call it made): the server then sends its remote type, message
 * and error code as they are, instead of naming this class.
 */
public class ShmRemoteException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;
    private final String remoteMessage;
    private final String errorCode;

    /**
     * @param route the route that was called
     * @param remoteType fully qualified class name of the exception the handler threw
     * @param remoteMessage its message, possibly empty
     */
    public ShmRemoteException(String route, String remoteType, String remoteMessage) {
        this(route, remoteType, remoteMessage, null);
    }

    /**
     * @param route the route that was called
     * @param remoteType fully qualified class name of the exception the handler threw
     * @param remoteMessage its message, possibly empty
     * @param errorCode the application's error code, or {@code null} when it set none; at most 255 UTF-8
     *     bytes cross the wire
     */
    public ShmRemoteException(String route, String remoteType, String remoteMessage, String errorCode) {
        super("handler for route '" + route + "' threw " + remoteType
                + (errorCode == null ? "" : " [" + errorCode + "]")
                + (remoteMessage == null || remoteMessage.isEmpty() ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.errorCode = errorCode;
    }

    /** @return fully qualified class name of the exception thrown by the remote handler */
    public String getRemoteType() {
        return remoteType;
    }

    /** @return the remote exception's message, possibly empty */
    public String getRemoteMessage() {
        return remoteMessage;
    }

    /**
     * The application error code the server attached (for example {@code "ORDER_NOT_FOUND"}), so that a
     * client can branch on a stable value rather than on message text.
     *
     * @return the code, or {@code null} when the server sent none
     */
    public String errorCode() {
        return errorCode;
    }
}

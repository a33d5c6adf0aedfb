package io.shmipc.spring;

/**
 * A {@link ShmHandler} method that cannot be served: a duplicate route, an empty or oversized route, or
 * a signature that cannot be bound. Fails startup; the message names the bean and the method.
 */
public class ShmHandlerDefinitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String handler;

    /**
     * @param handler the bean and method, as {@code bean.method(ParamTypes)}
     * @param message what is wrong and how to fix it
     */
    public ShmHandlerDefinitionException(String handler, String message) {
        super("@ShmHandler method " + handler + ": " + message);
        this.handler = handler;
    }

    /** @return the bean and method, as {@code bean.method(ParamTypes)} */
    public String getHandler() {
        return handler;
    }
}

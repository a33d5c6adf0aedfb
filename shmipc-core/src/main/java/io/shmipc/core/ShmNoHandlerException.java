package io.shmipc.core;

/** The server has no handler for the route. Thrown on the client; handlers may throw it to reject a route. */
public class ShmNoHandlerException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final String route;

    /** @param route the route nobody serves */
    public ShmNoHandlerException(String route) {
        super("no handler for route '" + route + "' on the server; check the route name and the server's handlers");
        this.route = route;
    }

    /** @return the route nobody serves */
    public String getRoute() {
        return route;
    }
}

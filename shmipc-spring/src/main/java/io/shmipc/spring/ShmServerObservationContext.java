package io.shmipc.spring;

import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;

/**
 * Observation context of one request served by a {@link ShmHandler} method. Its carrier is the
 * request's header map, from which a tracing handler continues the client's trace.
 */
public class ShmServerObservationContext extends ReceiverContext<Map<String, String>> {

    private final String name;
    private final String route;
    private final long clientPid;
    private final long requestId;

    /**
     * @param name the shmipc name
     * @param route the route called
     * @param headers the request's headers
     * @param clientPid the calling process
     */
    public ShmServerObservationContext(String name, String route, Map<String, String> headers, long clientPid) {
        this(name, route, headers, clientPid, 0);
    }

    /**
     * @param name the shmipc name
     * @param route the route called
     * @param headers the request's headers
     * @param clientPid the calling process
     * @param requestId the client's request id, unique per client process
     */
    public ShmServerObservationContext(
            String name, String route, Map<String, String> headers, long clientPid, long requestId) {
        super((carrier, key) -> carrier == null ? null : carrier.get(key));
        this.name = name;
        this.route = route;
        this.clientPid = clientPid;
        this.requestId = requestId;
        setCarrier(headers);
        setRemoteServiceName(name);
    }

    /** @return the shmipc name */
    public String getShmName() {
        return name;
    }

    /** @return the route called */
    public String getRoute() {
        return route;
    }

    /** @return the calling process id */
    public long getClientPid() {
        return clientPid;
    }

    /** @return the client's request id */
    public long getRequestId() {
        return requestId;
    }
}

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
    private String transport = ShmClientObservationContext.TRANSPORT_SHM;

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

    /** @return what carried the request: {@code shm} unless a remote transport delivered it (e.g. {@code grpc}) */
    public String getTransport() {
        return transport;
    }

    /**
     * Names the transport that delivered the request; set by the dispatcher before the observation starts.
     *
     * @param transport a short, fixed name such as {@code grpc}
     */
    public void setTransport(String transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport");
    }
}

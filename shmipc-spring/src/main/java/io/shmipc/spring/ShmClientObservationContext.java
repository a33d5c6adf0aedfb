package io.shmipc.spring;

import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Observation context of one {@link ShmTemplate} call. Its carrier is the request's header map, so a
 * tracing handler's propagator writes the trace context into the slot for the server to continue.
 */
public class ShmClientObservationContext extends SenderContext<Map<String, String>> {

    private final String name;
    private final String route;

    private String transport = TRANSPORT_SHM;

    /** The {@link #getTransport() transport} of a call through shared memory. */
    public static final String TRANSPORT_SHM = "shm";

    /**
     * @param name the shmipc name
     * @param route the route called
     */
    public ShmClientObservationContext(String name, String route) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        this.name = name;
        this.route = route;
        setCarrier(new HashMap<>());
        setRemoteServiceName(name);
    }

    /** @return the headers the observation's propagator wrote; the carrier this context always has */
    Map<String, String> carrier() {
        Map<String, String> carrier = getCarrier();
        return carrier == null ? Map.of() : carrier;
    }

    /** @return the shmipc name */
    public String getShmName() {
        return name;
    }

    /** @return the route called */
    public String getRoute() {
        return route;
    }

    /** @return what carried the call: {@code shm} unless a remote transport took it (e.g. {@code grpc}) */
    public String getTransport() {
        return transport;
    }

    /**
     * Set by a {@link ShmTransport} that carries the call other than through shared memory.
     *
     * @param transport a short, fixed name such as {@code grpc}
     */
    public void setTransport(String transport) {
        this.transport = java.util.Objects.requireNonNull(transport, "transport");
    }
}

package io.shmipc.grpc;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.spring.ShmClientObservationContext;
import io.shmipc.spring.ShmClientRequest;
import io.shmipc.spring.ShmClientResponse;
import io.shmipc.spring.ShmTransport;
import java.util.Objects;

/**
 * Carries {@link io.shmipc.spring.ShmTemplate} calls to a remote server over gRPC, so that the template,
 * its interceptors, declarative clients and callers stay as they are.
 *
 * <pre>{@code
 * ShmTemplate template = ShmTemplate.builder(client)
 *         .transport(new ShmGrpcTransport(new ShmGrpcCaller(channel, "agent:9090", 4 << 20), registry))
 *         .build();
 * }</pre>
 */
public final class ShmGrpcTransport implements ShmTransport {

    /** The {@code shmipc.transport} tag value of calls carried by gRPC. */
    public static final String TRANSPORT_NAME = "grpc";

    private final ShmGrpcCaller caller;
    private final ObservationRegistry observationRegistry;

    /**
     * @param caller the gRPC client half
     * @param observationRegistry the template's registry, so the call's observation is tagged {@code grpc}
     */
    public ShmGrpcTransport(ShmGrpcCaller caller, ObservationRegistry observationRegistry) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
    }

    /** @return the remote address as configured */
    public String target() {
        return caller.target();
    }

    /** @return the gRPC client half, e.g. to {@link ShmGrpcCaller#ping ping} the remote end */
    public ShmGrpcCaller caller() {
        return caller;
    }

    @Override
    public ShmClientResponse exchange(ShmClientRequest request) {
        Observation current = observationRegistry.getCurrentObservation();
        if (current != null && current.getContext() instanceof ShmClientObservationContext context) {
            context.setTransport(TRANSPORT_NAME);
        }
        ShmGrpcCaller.Reply reply =
                caller.exchange(request.route(), request.headers(), request.body(), request.timeout());
        return new ShmClientResponse(reply.body(), reply.headers());
    }

    @Override
    public String toString() {
        return "ShmGrpcTransport[" + caller.target() + "]";
    }
}

package io.shmipc.grpc.autoconfigure;

import io.shmipc.core.ShmException;
import io.shmipc.grpc.ShmAutoTransport;
import io.shmipc.grpc.ShmGrpcTransport;
import io.shmipc.spring.ShmClientObservationContext;
import io.shmipc.spring.ShmTransport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of a client that may call over gRPC: which transport its calls take ({@code transport}: {@code shm},
 * {@code grpc} or {@code auto}, and for {@code auto} the one chosen now in {@code current}), and whether each
 * end answers: {@code local} (the shared-memory health, as the plain shmipc indicator reports it) and
 * {@code remote} (the address, and whether a {@code Ping} to it was answered within the timeout).
 *
 * <p>The status is that of the transport calls take now: the local server's for {@code shm}, the remote
 * end's for {@code grpc}, and for {@code auto} UP when either answers (calls go to whichever does).
 */
public class ShmGrpcHealthIndicator extends AbstractHealthIndicator {

    private final HealthIndicator local;
    private final ShmTransport transport;
    private final Duration pingTimeout;

    /**
     * @param local the shared-memory health of the name
     * @param transport the client's transport: an {@link ShmGrpcTransport}, an {@link ShmAutoTransport}, or
     *     shared memory only
     * @param pingTimeout how long to wait for the remote end to answer
     */
    public ShmGrpcHealthIndicator(HealthIndicator local, ShmTransport transport, Duration pingTimeout) {
        super("shmipc health check failed");
        this.local = Objects.requireNonNull(local, "local");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.pingTimeout = Objects.requireNonNull(pingTimeout, "pingTimeout");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (transport instanceof ShmGrpcTransport grpc) {
            Health remote = ping(grpc);
            builder.status(remote.getStatus())
                    .withDetail("transport", ShmGrpcTransport.TRANSPORT_NAME)
                    .withDetail("remote", remote.getDetails());
        } else if (transport instanceof ShmAutoTransport auto && auto.remote() instanceof ShmGrpcTransport grpc) {
            Health localHealth = local.health(true);
            Health remote = ping(grpc);
            boolean anyUp = Status.UP.equals(localHealth.getStatus()) || Status.UP.equals(remote.getStatus());
            builder.status(anyUp ? Status.UP : Status.DOWN)
                    .withDetail("transport", "auto")
                    .withDetail("current", auto.currentTransport())
                    .withDetail("local", describe(localHealth))
                    .withDetail("remote", remote.getDetails());
        } else {
            Health localHealth = local.health(true);
            builder.status(localHealth.getStatus())
                    .withDetails(localHealth.getDetails())
                    .withDetail("transport", ShmClientObservationContext.TRANSPORT_SHM);
        }
    }

    private Health ping(ShmGrpcTransport grpc) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", grpc.target());
        try {
            grpc.caller().ping(pingTimeout);
            details.put("status", Status.UP.getCode());
            return Health.up().withDetails(details).build();
        } catch (ShmException ex) {
            details.put("status", Status.DOWN.getCode());
            details.put("error", ex.getMessage());
            return Health.down().withDetails(details).build();
        }
    }

    private static Map<String, Object> describe(Health health) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", health.getStatus().getCode());
        details.putAll(health.getDetails());
        return details;
    }
}

package io.shmipc.grpc;

import static io.shmipc.grpc.GrpcTestRunners.agent;
import static io.shmipc.grpc.GrpcTestRunners.client;
import static io.shmipc.grpc.GrpcTestRunners.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.spring.DefaultShmClientObservationConvention;
import io.shmipc.spring.DefaultShmServerObservationConvention;
import io.shmipc.spring.ShmObservationKeys;
import io.shmipc.spring.ShmOperations;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The observability of the gRPC path, with an agent and its clients as separate application contexts (each
 * with its own tracer and meters, as two processes would have): the {@code shmipc.transport} tag on both
 * sides, the trace continuing across the gRPC hop, and the health indicator's transport and remote state.
 */
class ShmGrpcObservabilityTests {

    @TempDir
    Path agentDirectory;

    @TempDir
    Path otherDirectory;

    private final String name = "shmipc-test-grpc-obs-" + UUID.randomUUID();

    @Test
    void serverObservationsAndMetersShouldNameTheTransportThatDeliveredTheCall() throws Exception {
        int port = freePort();
        try (TestTracing agentSide = new TestTracing()) {
            agent(name, agentDirectory, port)
                    .withBean(ObservationRegistry.class, agentSide::observationRegistry)
                    .run(agent -> {
                        assertThat(agent).hasNotFailed();
                        client(name, agentDirectory, "grpc", "127.0.0.1:" + port)
                                .run(client -> assertThat(client.getBean(ShmOperations.class)
                                                .call("echo", "over grpc", String.class))
                                        .isEqualTo("over grpc"));
                        client(name, agentDirectory, "shm", "127.0.0.1:" + port).run(client -> assertThat(
                                        client.getBean(ShmOperations.class).call("echo", "over shm", String.class))
                                .isEqualTo("over shm"));

                        for (String transport : new String[] {"grpc", "shm"}) {
                            assertThat(agentSide
                                            .meters()
                                            .get(DefaultShmServerObservationConvention.NAME)
                                            .tag(ShmObservationKeys.TRANSPORT, transport)
                                            .tag("rpc.method", "echo")
                                            .timer()
                                            .count())
                                    .as("server requests delivered by " + transport)
                                    .isEqualTo(1);
                        }
                    });
        }
    }

    @Test
    void theServerSpanShouldContinueTheClientsTraceOverGrpc() throws Exception {
        int port = freePort();
        try (TestTracing agentSide = new TestTracing();
                TestTracing clientSide = new TestTracing()) {
            agent(name, agentDirectory, port)
                    .withBean(ObservationRegistry.class, agentSide::observationRegistry)
                    .run(agent -> client(name, otherDirectory, "grpc", "127.0.0.1:" + port)
                            .withBean(ObservationRegistry.class, clientSide::observationRegistry)
                            .run(client -> {
                                String traceparent =
                                        client.getBean(ShmOperations.class).call("traceparent", null, String.class);

                                MutableSpan clientSpan = only(clientSide, brave.Span.Kind.PRODUCER);
                                MutableSpan serverSpan = only(agentSide, brave.Span.Kind.CONSUMER);
                                // W3C trace context: 00-<trace id>-<parent span id>-<flags>
                                assertThat(traceparent)
                                        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                                        .contains(clientSpan.traceId())
                                        .contains(clientSpan.id());
                                assertThat(serverSpan.traceId()).isEqualTo(clientSpan.traceId());
                                assertThat(serverSpan.parentId()).isEqualTo(clientSpan.id());
                                assertThat(serverSpan.tags()).containsEntry(ShmObservationKeys.TRANSPORT, "grpc");
                                assertThat(clientSpan.tags()).containsEntry(ShmObservationKeys.TRANSPORT, "grpc");
                                assertThat(clientSide
                                                .meters()
                                                .get(DefaultShmClientObservationConvention.NAME)
                                                .tag(ShmObservationKeys.TRANSPORT, "grpc")
                                                .timer()
                                                .count())
                                        .isEqualTo(1);
                            }));
        }
    }

    @Test
    void healthShouldReportTheTransportAndWhetherTheRemoteEndAnswers() throws Exception {
        int port = freePort();
        String address = "127.0.0.1:" + port;
        // Nothing listens yet: grpc is DOWN and says why; auto without a local server is DOWN too.
        client(name, otherDirectory, "grpc", address).run(client -> {
            Health health = health(client.getBean("shmipcHealthIndicator", HealthIndicator.class));
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("transport", "grpc");
            Map<String, Object> remote = nested(health, "remote");
            assertThat(remote).containsEntry("address", address).containsEntry("status", "DOWN");
            assertThat((String) remote.get("error")).contains(address).contains("UNAVAILABLE");
        });

        agent(name, agentDirectory, port).run(agent -> {
            client(name, otherDirectory, "grpc", address).run(client -> {
                Health health = health(client.getBean("shmipcHealthIndicator", HealthIndicator.class));
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(nested(health, "remote"))
                        .containsEntry("address", address)
                        .containsEntry("status", "UP");
            });
            // auto, and no local server in this client's directory: calls go over gRPC, which answers.
            client(name, otherDirectory, "auto", address).run(client -> {
                Health health = health(client.getBean("shmipcHealthIndicator", HealthIndicator.class));
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                        .containsEntry("transport", "auto")
                        .containsEntry("current", "grpc");
                assertThat(nested(health, "local")).containsEntry("status", "DOWN");
            });
            // auto, with the agent's region in reach: shared memory is chosen.
            client(name, agentDirectory, "auto", address).run(client -> {
                Health health = health(client.getBean("shmipcHealthIndicator", HealthIndicator.class));
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("current", "shm");
                assertThat(nested(health, "local")).containsEntry("status", "UP");
                assertThat(nested(health, "remote")).containsEntry("status", "UP");
            });
            // shm only: the plain shared-memory health, with the transport named.
            client(name, agentDirectory, "shm", address).run(client -> {
                Health health = health(client.getBean("shmipcHealthIndicator", HealthIndicator.class));
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                        .containsEntry("transport", "shm")
                        .containsEntry("role", "client");
            });
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Health health, String detail) {
        return (Map<String, Object>) health.getDetails().get(detail);
    }

    private static Health health(HealthIndicator indicator) {
        Health health = indicator.health(true);
        assertThat(health).isNotNull();
        return health;
    }

    /** The one shmipc span of a kind (Micrometer makes shmipc's sender and receiver contexts PRODUCER and CONSUMER). */
    private static MutableSpan only(TestTracing side, brave.Span.Kind kind) {
        return side.spans().stream()
                .filter(span -> span.kind() == kind
                        && span.name() != null
                        && span.name().startsWith("shmipc"))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one " + kind + " span: " + side.spans());
                })
                .orElseThrow(() -> new AssertionError("no " + kind + " span: " + side.spans()));
    }
}

package io.shmipc.grpc;

import static io.shmipc.grpc.GrpcTestRunners.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.testing.ChildJvm;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Real processes: agents serving shared memory and gRPC at once, and clients in this JVM that reach them
 * through one or the other with the same {@link ShmTemplate} code.
 */
class ShmGrpcCrossProcessTests {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    Path localDirectory;

    @TempDir
    Path otherHostDirectory;

    private final String name = "shmipc-test-grpc-" + UUID.randomUUID();
    private final List<ChildJvm> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(ChildJvm::close);
    }

    @Test
    void theSameCallsShouldGiveTheSameRepliesAndErrorsOverSharedMemoryAndGrpc() throws Exception {
        int port = freePort();
        startAgent("local", localDirectory, port);
        Map<String, Object> overShm = outcomes(client("shm", port));
        Map<String, Object> overGrpc = outcomes(client("grpc", port));
        assertThat(overShm.get("echo")).isEqualTo("hello");
        assertThat(overShm.get("order")).isEqualTo(new Receipt("o-1", 30));
        assertThat(overShm.get("tenant")).isEqualTo("tenant=t1");
        assertThat(overShm.get("fail")).isEqualTo("ShmRemoteException OUT_OF_STOCK no bolts left");
        assertThat(overShm.get("missing")).isEqualTo("ShmNoHandlerException");
        assertThat(overShm.get("too-large")).isEqualTo("ShmPayloadTooLargeException");
        assertThat(overShm.get("slow")).isEqualTo("ShmTimeoutException outcome unknown");
        assertThat(overGrpc).isEqualTo(overShm);
    }

    @Test
    void theServerShouldSeeTheCallersDeadlineOverGrpc() throws Exception {
        int port = freePort();
        startAgent("local", localDirectory, port);
        client("grpc", port).run(context -> {
            String remaining = context.getBean(ShmOperations.class)
                    .route("deadline")
                    .timeout(Duration.ofSeconds(30))
                    .retrieve(String.class);
            assertThat(Long.parseLong(remaining)).isBetween(1L, 30_000L);
        });
    }

    @Test
    void autoShouldUseSharedMemoryWhileALocalServerLivesAndTheRemoteOneOtherwise() throws Exception {
        int localPort = freePort();
        int remotePort = freePort();
        ChildJvm local = startAgent("local", localDirectory, localPort);
        // The "other host": same name, but a region this client cannot see, so only gRPC reaches it.
        startAgent("remote", otherHostDirectory, remotePort);
        client("auto", remotePort)
                .withPropertyValues("shmipc.client.grpc.local-check-interval=200ms")
                .run(context -> {
                    ShmOperations shm = context.getBean(ShmOperations.class);
                    assertThat(shm.call("whoami", null, String.class)).isEqualTo("local");

                    local.stop(Duration.ofSeconds(30));
                    agents.remove(local);
                    // The first call after the local server left already goes to the remote one: it was never sent.
                    assertThat(shm.call("whoami", null, String.class)).isEqualTo("remote");

                    startAgent("local", localDirectory, freePort());
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() -> assertThat(shm.call("whoami", null, String.class))
                                    .isEqualTo("local"));
                });
    }

    private Map<String, Object> outcomes(ApplicationContextRunner client) {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        client.run(context -> {
            ShmOperations shm = context.getBean(ShmOperations.class);
            outcomes.put("echo", outcome(() -> shm.call("echo", "hello", String.class)));
            outcomes.put("order", outcome(() -> shm.call("order", new Order("o-1", 3), Receipt.class)));
            outcomes.put(
                    "tenant",
                    outcome(() -> shm.route("tenant").header("tenant", "t1").retrieve(String.class)));
            outcomes.put("fail", outcome(() -> shm.call("fail", "bolts", String.class)));
            outcomes.put("missing", outcome(() -> shm.call("missing", "x", String.class)));
            outcomes.put("too-large", outcome(() -> shm.call("echo", "x".repeat(70_000), String.class)));
            outcomes.put("slow", outcome(() -> shm.route("slow")
                    .timeout(Duration.ofMillis(300))
                    .body("5000")
                    .retrieve(String.class)));
        });
        return outcomes;
    }

    private static Object outcome(java.util.concurrent.Callable<Object> call) {
        Throwable failure = catchThrowable(() -> call.call());
        if (failure == null) {
            try {
                return call.call();
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
        Function<Throwable, String> describe = ex -> switch (ex) {
            case ShmRemoteException remote ->
                "ShmRemoteException " + remote.errorCode() + " " + remote.getRemoteMessage();
            case ShmTimeoutException timeout ->
                "ShmTimeoutException" + (timeout.isOutcomeUnknown() ? " outcome unknown" : "");
            case ShmNoHandlerException noHandler -> "ShmNoHandlerException";
            case ShmPayloadTooLargeException tooLarge -> "ShmPayloadTooLargeException";
            default -> ex.toString();
        };
        return describe.apply(failure);
    }

    private ApplicationContextRunner client(String transport, int port) {
        return GrpcTestRunners.client(name, localDirectory, transport, "127.0.0.1:" + port);
    }

    private ChildJvm startAgent(String instance, Path directory, int port) {
        ChildJvm agent = ChildJvm.main(
                        GrpcAgentApp.class,
                        "--shmipc.name=" + name,
                        "--shmipc.role=server",
                        "--shmipc.directory=" + directory,
                        "--shmipc.grpc.server.enabled=true",
                        "--spring.grpc.server.address=127.0.0.1",
                        "--spring.grpc.server.port=" + port,
                        "--agent.instance=" + instance)
                .label("agent-" + instance)
                .jvmOptions(ChildJvm.LIGHT_OPTIONS)
                .start();
        agents.add(agent);
        agent.awaitLine(line -> line.equals("READY"), STARTUP);
        return agent;
    }
}

package io.shmipc.grpc;

import static io.shmipc.grpc.GrpcTestRunners.agent;
import static io.shmipc.grpc.GrpcTestRunners.client;
import static io.shmipc.grpc.GrpcTestRunners.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmOperations;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * TLS and mutual TLS on the gRPC path, configured only with Spring Boot SSL bundles: the agent's
 * {@code spring.grpc.server.ssl.*}, and the client's named channel ({@code shmipc.client.grpc.address=agent}
 * with {@code spring.grpc.client.channel.agent.ssl.bundle}). Certificates are made for the run by
 * {@link TestCertificates}. The mutual-TLS agent is a separate JVM; the TLS-only one runs in this JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShmGrpcTlsTests {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    static Path certificateDirectory;

    @TempDir
    static Path agentDirectory;

    @TempDir
    static Path clientDirectory;

    /** The TLS-only agents in this JVM: a region of their own, apart from the mutual-TLS agent's. */
    @TempDir
    static Path inJvmAgentDirectory;

    private final String name = "shmipc-test-grpc-tls-" + UUID.randomUUID();
    private TestCertificates certificates;
    private ChildJvm mutualTlsAgent;
    private int mutualTlsPort;

    @BeforeAll
    void startMutualTlsAgent() throws Exception {
        certificates = TestCertificates.create(certificateDirectory);
        mutualTlsPort = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--shmipc.name=" + name,
                "--shmipc.role=server",
                "--shmipc.directory=" + agentDirectory,
                "--shmipc.grpc.server.enabled=true",
                "--spring.grpc.server.address=127.0.0.1",
                "--spring.grpc.server.port=" + mutualTlsPort,
                "--spring.grpc.server.ssl.bundle=agent",
                "--spring.grpc.server.ssl.client-auth=require",
                "--agent.instance=mtls"));
        TestCertificates.bundle("agent", certificates.serverKeyStore(), certificates.trustStore(), "server")
                .forEach(property -> args.add("--" + property));
        mutualTlsAgent = ChildJvm.main(GrpcAgentApp.class, args.toArray(String[]::new))
                .label("agent-mtls")
                .jvmOptions(ChildJvm.LIGHT_OPTIONS)
                .start();
        mutualTlsAgent.awaitLine(line -> line.equals("READY"), STARTUP);
    }

    @AfterAll
    void stopMutualTlsAgent() {
        if (mutualTlsAgent != null) {
            mutualTlsAgent.close();
        }
    }

    @Test
    void tlsShouldCarryCallsWhenTheClientTrustsTheServersCa() throws Exception {
        int port = freePort();
        agent(name, inJvmAgentDirectory, port)
                .withPropertyValues("spring.grpc.server.ssl.bundle=agent")
                .withPropertyValues(bundle("agent", certificates.serverKeyStore(), null, "server"))
                .run(agent -> {
                    assertThat(agent).hasNotFailed();
                    overTls(port, bundle("client", null, certificates.trustStore(), null))
                            .run(client -> assertThat(
                                            client.getBean(ShmOperations.class).call("echo", "over tls", String.class))
                                    .isEqualTo("over tls"));
                });
    }

    @Test
    void tlsShouldRefuseAServerSignedByACaTheClientDoesNotTrustAndSaySo() throws Exception {
        int port = freePort();
        agent(name, inJvmAgentDirectory, port)
                .withPropertyValues("spring.grpc.server.ssl.bundle=agent")
                .withPropertyValues(bundle("agent", certificates.serverKeyStore(), null, "server"))
                .run(agent -> overTls(port, bundle("client", null, certificates.otherTrustStore(), null))
                        .run(client -> {
                            ShmServerUnavailableException failure = failedCall(client.getBean(ShmOperations.class));
                            assertThat(failure.getMessage())
                                    .contains("agent (static://127.0.0.1:" + port + ")")
                                    .contains("unable to find valid certification path");
                            assertThat(failure.isOutcomeUnknown())
                                    .as("a failed handshake sent nothing")
                                    .isFalse();
                        }));
    }

    @Test
    void mutualTlsShouldCarryCallsBetweenProcessesWhenTheClientPresentsItsCertificate() {
        overTls(mutualTlsPort, bundle("client", certificates.clientKeyStore(), certificates.trustStore(), "client"))
                .run(client -> {
                    ShmOperations shm = client.getBean(ShmOperations.class);
                    assertThat(shm.call("whoami", null, String.class)).isEqualTo("mtls");
                    assertThat(shm.call("echo", "over mutual tls", String.class))
                            .isEqualTo("over mutual tls");
                });
    }

    @Test
    void mutualTlsShouldRefuseAClientWithoutACertificateAndSaySo() {
        overTls(mutualTlsPort, bundle("client", null, certificates.trustStore(), null))
                .run(client -> {
                    ShmServerUnavailableException failure = failedCall(client.getBean(ShmOperations.class));
                    // The server's TLS alert, as the client received it.
                    assertThat(failure.getMessage())
                            .contains("agent (static://127.0.0.1:" + mutualTlsPort + ")")
                            .containsAnyOf("certificate_required", "bad_certificate");
                });
    }

    /** A client that reaches the agent through the named channel {@code agent}, with TLS from {@code bundle}. */
    private ApplicationContextRunner overTls(int port, String[] bundle) {
        return client(name, clientDirectory, "grpc", "agent")
                .withPropertyValues(
                        "spring.grpc.client.channel.agent.target=static://127.0.0.1:" + port,
                        "spring.grpc.client.channel.agent.ssl.enabled=true",
                        "spring.grpc.client.channel.agent.ssl.bundle=client",
                        "shmipc.client.timeout=10s")
                .withPropertyValues(bundle);
    }

    private static String[] bundle(String bundle, Path keyStore, Path trustStore, String keyAlias) {
        return TestCertificates.bundle(bundle, keyStore, trustStore, keyAlias).toArray(String[]::new);
    }

    private static ShmServerUnavailableException failedCall(ShmOperations shm) {
        ShmServerUnavailableException failure = catchThrowableOfType(
                ShmServerUnavailableException.class, () -> shm.call("echo", "refused", String.class));
        assertThat(failure)
                .as("the call must fail with ShmServerUnavailableException")
                .isNotNull();
        return failure;
    }
}

package io.shmipc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.testing.ChildJvm;
import io.shmipc.testing.LeftoverFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end, the way a user meets shmipc: the packaged sample server and sample client run as
 * separate JVMs ({@code java -jar}) on a real shared-memory region in /dev/shm; the test reads their
 * output, their exit codes and their Actuator endpoints over HTTP.
 */
class SampleAppsIT {

    /** Generous: the build machine is small and shared, and each JVM starts Spring Boot with Tomcat. */
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Path SHM = Path.of("/dev/shm");
    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern WARMUP_LINE = Pattern.compile("warm-up shmipc: .* after .* s and (\\d+) calls .*");
    private static final Pattern CONTINUOUS_LINE = Pattern.compile("continuous: second=\\d+ ok=(\\d+) errors=(\\d+)");

    private final Path serverJar = Path.of(System.getProperty("sample.server.jar"));
    private final Path clientJar = Path.of(System.getProperty("sample.client.jar"));
    private final Path logs = Path.of(System.getProperty("sample.logs.dir", "target/it-logs"));
    private final String name = "shmipc-test-e2e-" + UUID.randomUUID();
    private final List<ChildJvm> processes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopProcessesAndRemoveRegion() throws Exception {
        for (ChildJvm process : processes) {
            process.close();
        }
        // A test that failed after killing a server leaves its region behind; remove it here.
        LeftoverFiles.delete(SHM, name);
    }

    @Test
    void batchClientGetsEveryReplyAndServerReportsHealthAndMeters() throws Exception {
        ChildJvm server = startServer();
        int serverPort = awaitHttpPort(server);
        server.awaitLine(0, line -> line.contains("Started MonitoringAgentApplication"), STARTUP);

        ChildJvm client = start(
                "client",
                clientJar,
                "--server.port=0",
                "--sample.requests=2000",
                "--sample.warmup=2s",
                "--sample.threads=2",
                "--sample.http-url=http://localhost:" + serverPort);

        assertThat(client.waitFor(RUN)).as(client.tail()).isZero();
        assertThat(client.lines())
                .anyMatch(line -> line.startsWith("summary: requests=2000 errors=0 p50="))
                // The same mix over HTTP to the same agent, and both side by side.
                .anyMatch(line -> line.startsWith("http:    requests=2000 errors=0 p50="))
                // A 2 s warm-up cap is below the 5 s minimum, so the summary must not claim steady state.
                .anyMatch(line -> line.startsWith("NOT steady state (a warm-up reached its cap")
                        && line.contains(", same request mix, same agent, 2 thread(s): shmipc p50"))
                .anyMatch(line -> line.startsWith("reply metrics.report -> Receipt[source=client-" + client.pid()))
                .anyMatch(line -> line.matches("reply metrics.query -> Aggregate\\[.*count=[1-9].*"))
                .anyMatch(line -> line.equals("reply echo -> 64 bytes, identical"))
                .noneMatch(line -> line.startsWith("error:"));

        JsonNode health = getJson(serverPort, "/actuator/health");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode shmipc = health.path("components").path("shmipc");
        assertThat(shmipc.path("status").asString()).isEqualTo("UP");
        assertThat(shmipc.path("details").path("role").asString()).isEqualTo("server");
        assertThat(shmipc.path("details").path("name").asString()).isEqualTo(name);
        assertThat(shmipc.path("details").path("serverPid").asLong()).isEqualTo(server.pid());

        // Every shmipc request of the batch and its warm-up passed through the server's observation.
        long warmupCalls = client.lines().stream()
                .map(WARMUP_LINE::matcher)
                .filter(Matcher::matches)
                .mapToLong(m -> Long.parseLong(m.group(1)))
                .findFirst()
                .orElseThrow();
        assertThat(measurement(serverPort, "shmipc.server.requests?tag=outcome:SUCCESS", "COUNT"))
                .isEqualTo(2000 + warmupCalls);
        assertThat(measurement(serverPort, "shmipc.server.requests?tag=rpc.method:echo", "COUNT"))
                .isGreaterThanOrEqualTo(200);
        assertThat(measurement(serverPort, "shmipc.slots.max", "VALUE")).isEqualTo(16);

        stopGracefully(server);
    }

    /**
     * Beyond one host: the client cannot see the agent's region (another directory stands for another host),
     * so with only the agent's gRPC address given it calls the same handlers over gRPC.
     */
    @Test
    void batchClientReachesARemoteAgentOverGrpcWithOnlyItsAddress() throws Exception {
        int grpcPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            grpcPort = socket.getLocalPort();
        }
        ChildJvm server = start(
                "grpc-server",
                serverJar,
                "--server.port=0",
                "--shmipc.grpc.server.enabled=true",
                "--spring.grpc.server.address=127.0.0.1",
                "--spring.grpc.server.port=" + grpcPort);
        int serverPort = awaitHttpPort(server);
        server.awaitLine(0, line -> line.contains("Started MonitoringAgentApplication"), STARTUP);

        Path otherHost = java.nio.file.Files.createTempDirectory("shmipc-sample-other-host");
        try {
            ChildJvm client = start(
                    "grpc-client",
                    clientJar,
                    "--server.port=0",
                    "--sample.requests=500",
                    "--sample.warmup=1s",
                    "--shmipc.directory=" + otherHost,
                    "--shmipc.client.grpc.address=127.0.0.1:" + grpcPort);
            assertThat(client.waitFor(RUN)).as(client.tail()).isZero();
            assertThat(client.lines())
                    .anyMatch(line -> line.startsWith("summary: requests=500 errors=0 p50="))
                    .anyMatch(line -> line.startsWith("reply metrics.report -> Receipt[source=client-" + client.pid()))
                    .anyMatch(line -> line.equals("reply echo -> 64 bytes, identical"))
                    .noneMatch(line -> line.startsWith("error:"));
            // Every call of the batch reached the agent's handlers through gRPC.
            assertThat(measurement(serverPort, "shmipc.server.requests?tag=shmipc.transport:grpc", "COUNT"))
                    .isGreaterThanOrEqualTo(500);
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(otherHost);
        }
        stopGracefully(server);
    }

    @Test
    void continuousClientRecoversByItselfWhenTheServerIsKilledAndRestarted() throws Exception {
        ChildJvm server = startServer();
        server.awaitLine(0, line -> line.contains("Started MonitoringAgentApplication"), STARTUP);
        ChildJvm client = start(
                "continuous-client", clientJar, "--server.port=0", "--sample.mode=continuous", "--sample.threads=1");
        int clientPort = awaitHttpPort(client);
        awaitSecondWith(client, 0, ok -> ok > 0, errors -> errors == 0);

        JsonNode clientHealth =
                getJson(clientPort, "/actuator/health").path("components").path("shmipc");
        assertThat(clientHealth.path("status").asString()).isEqualTo("UP");
        assertThat(clientHealth.path("details").path("role").asString()).isEqualTo("client");
        assertThat(measurement(clientPort, "shmipc.client.requests?tag=outcome:SUCCESS", "COUNT"))
                .isPositive();

        server.kill();
        int afterKill = client.lineCount();
        awaitSecondWith(client, afterKill, ok -> ok == 0, errors -> errors > 0);
        // The client's health indicator sees the dead server.
        var shmipcHealth =
                getJson(clientPort, "/actuator/health").path("components").path("shmipc");
        assertThat(shmipcHealth.path("status").asString()).isEqualTo("DOWN");
        assertThat(shmipcHealth.path("details").path("serverState").asString()).isEqualTo("DEAD");

        ChildJvm restarted = startServer();
        restarted.awaitLine(0, line -> line.contains("Started MonitoringAgentApplication"), STARTUP);
        int afterRestart = client.lineCount();
        // The same client process, never restarted, gets replies again: a whole second without errors.
        awaitSecondWith(client, afterRestart, ok -> ok > 0, errors -> errors == 0);

        client.terminate();
        int exitCode = client.waitFor(RUN);
        assertThat(client.lines())
                .as("exit code " + exitCode)
                .anyMatch(line -> line.startsWith("continuous: stopped total-ok="));
        stopGracefully(restarted);
    }

    /**
     * Both samples run their Spring AOT output ({@code -Dspring.aot.enabled=true}, as a native image would), built
     * by the poms' process-aot step: the client's typed calls reach the server's handlers.
     */
    @Test
    void bothSamplesRunTheirAotOutputAndTalk() throws Exception {
        ChildJvm server = start("server-aot", serverJar, List.of("-Dspring.aot.enabled=true"), "--server.port=0");
        server.awaitLine(0, line -> line.contains("Started MonitoringAgentApplication"), STARTUP);
        ChildJvm client = start(
                "client-aot",
                clientJar,
                List.of("-Dspring.aot.enabled=true"),
                "--server.port=0",
                "--sample.requests=200",
                "--sample.warmup=1s",
                "--sample.threads=2");

        assertThat(client.waitFor(RUN)).as(client.tail()).isZero();
        assertThat(server.lines()).anyMatch(line -> line.contains("Starting AOT-processed MonitoringAgentApplication"));
        assertThat(client.lines())
                .anyMatch(line -> line.contains("Starting AOT-processed SampleClientApplication"))
                .anyMatch(line -> line.startsWith("summary: requests=200 errors=0 p50="))
                .anyMatch(line -> line.startsWith("reply metrics.report -> Receipt[source=client-" + client.pid()))
                .noneMatch(line -> line.startsWith("error:"));
        stopGracefully(server);
    }

    @Test
    void autoRoleMakesTheFirstInstanceTheServerAndTheSecondItsClient() throws Exception {
        ChildJvm first = start("auto-first", serverJar, "--spring.profiles.active=auto");
        first.awaitLine(
                line -> line.contains("auto role: this instance (pid " + first.pid() + ") is the SERVER"), STARTUP);

        ChildJvm second = start("auto-second", serverJar, "--spring.profiles.active=auto");
        second.awaitLine(0, line -> line.contains("is a CLIENT of the server with pid " + first.pid()), STARTUP);
        second.awaitLine(
                line -> line.contains("auto role: client got MetricAggregate[source=auto-client-" + second.pid()), RUN);

        stopGracefully(second);
        stopGracefully(first);
    }

    private ChildJvm startServer() throws IOException {
        return start("server", serverJar, "--server.port=0");
    }

    private ChildJvm start(String label, Path jar, String... args) throws IOException {
        return start(label, jar, List.of(), args);
    }

    private ChildJvm start(String label, Path jar, List<String> jvmOptions, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--shmipc.name=" + name));
        all.addAll(List.of(args));
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        options.addAll(jvmOptions);
        ChildJvm process = ChildJvm.jar(jar, all.toArray(String[]::new))
                .label(label)
                .jvmOptions(options)
                .logDirectory(logs)
                .start();
        processes.add(process);
        return process;
    }

    /** SIGTERM; the application must exit on its own, leave no region files and need no native-access flag. */
    private void stopGracefully(ChildJvm process) throws Exception {
        process.terminate();
        process.waitFor(RUN);
        assertThat(process.lines())
                .as("the manifest's Enable-Native-Access entry must apply")
                .noneMatch(line -> line.contains("restricted method"));
        assertThat(process.lines()).noneMatch(line -> line.contains("Exception in thread"));
        if (processes.stream().filter(p -> p != process).noneMatch(ChildJvm::isAlive)) {
            assertThat(LeftoverFiles.list(SHM, name))
                    .as("region files left in " + SHM)
                    .isEmpty();
        }
    }

    private void awaitSecondWith(ChildJvm client, int from, LongPredicate ok, LongPredicate errors) {
        client.awaitLine(
                from,
                line -> {
                    Matcher matcher = CONTINUOUS_LINE.matcher(line);
                    return matcher.find()
                            && ok.test(Long.parseLong(matcher.group(1)))
                            && errors.test(Long.parseLong(matcher.group(2)));
                },
                RUN);
    }

    /** The HTTP port Tomcat reported: the apps run with server.port=0. */
    static int awaitHttpPort(ChildJvm process) {
        Matcher matcher = HTTP_PORT.matcher(
                process.awaitLine(0, line -> HTTP_PORT.matcher(line).find(), STARTUP));
        if (!matcher.find()) {
            throw new IllegalStateException("unreachable: the line matched before");
        }
        return Integer.parseInt(matcher.group(1));
    }

    private JsonNode getJson(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // Health answers 503 when DOWN, with the same JSON body.
        assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(200, 503);
        return JsonMapper.shared().readTree(response.body());
    }

    private long measurement(int port, String meterAndQuery, String statistic)
            throws IOException, InterruptedException {
        for (JsonNode measurement :
                getJson(port, "/actuator/metrics/" + meterAndQuery).path("measurements")) {
            if (statistic.equals(measurement.path("statistic").asString())) {
                return (long) measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + meterAndQuery);
    }
}

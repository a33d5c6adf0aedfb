package io.shmipc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged non-web sample server ({@code sample-plain-server}: no web server, only the shmipc starter
 * and validation) run as {@code java -jar} in a child JVM: it stays up after startup, serves calls with
 * validation, headers and error codes, and stops cleanly on SIGTERM: a call in flight gets its reply, the
 * files are removed, and the JVM exits with 0 (or the JVM's own 143 when that is turned off).
 */
class PlainServerIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final Path SHM = Path.of("/dev/shm");
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Path serverJar = Path.of(System.getProperty("sample.plain.server.jar"));
    private final Path logs = Path.of(System.getProperty("sample.logs.dir", "target/it-logs"));
    private final String name = "shmipc-test-plain-" + UUID.randomUUID();
    private ChildJvm server;

    @AfterEach
    void stopServerAndRemoveRegion() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = regionFiles()) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * @param aot whether the jar runs its Spring AOT output ({@code -Dspring.aot.enabled=true}), as a native
     *     image would: the handler and binding hints then come from {@code @ShmHandler}'s processor
     */
    @ParameterizedTest(name = "aot={0}")
    @ValueSource(booleans = {false, true})
    void nonWebServerStaysUpServesAndStopsCleanlyOnSigterm(boolean aot) throws Exception {
        server = ChildJvm.jar(serverJar, "--shmipc.name=" + name)
                .label(aot ? "plain-server-aot" : "plain-server")
                .jvmOptions("-Xmx256m", "-Dspring.aot.enabled=" + aot)
                .logDirectory(logs)
                .removeOnClose(SHM.resolve(name))
                .start();
        // In the order they are printed: each wait reads on from the line the previous one matched.
        server.awaitLine(line -> line.contains("shmipc server '" + name + "' started"), STARTUP);
        server.awaitLine(line -> line.contains("Started QuoteServerApplication"), STARTUP);
        long aotStarts = server.lines().stream()
                .filter(line -> line.contains("Starting AOT-processed QuoteServerApplication"))
                .count();
        assertThat(aotStarts).as("AOT-processed start").isEqualTo(aot ? 1 : 0);

        try (ShmClient client = new ShmClient(name, ShmConfig.builder().build())) {
            // Calls made after main() returned: only the server's keep-alive thread holds the JVM.
            JsonNode quote = JSON.readTree(client.call(
                    "quotes.price",
                    Map.of("currency", "USD"),
                    JSON.writeValueAsBytes(Map.of("symbol", "ACME", "quantity", 4)),
                    CALL));
            assertThat(quote.get("total").decimalValue()).isEqualByComparingTo("50.00");
            assertThat(quote.get("currency").asString()).isEqualTo("USD");
            assertThat(quote.get("clientPid").asLong())
                    .isEqualTo(ProcessHandle.current().pid());

            ShmRemoteException unknown = catchThrowableOfType(
                    ShmRemoteException.class,
                    () -> client.call(
                            "quotes.price", JSON.writeValueAsBytes(Map.of("symbol", "NOPE", "quantity", 1)), CALL));
            assertThat(unknown.errorCode()).isEqualTo("UNKNOWN_SYMBOL");
            assertThat(unknown.getRemoteType()).isEqualTo("io.shmipc.sample.plain.UnknownSymbolException");

            ShmRemoteException invalid = catchThrowableOfType(
                    ShmRemoteException.class,
                    () -> client.call(
                            "quotes.price", JSON.writeValueAsBytes(Map.of("symbol", "", "quantity", 0)), CALL));
            assertThat(invalid.getRemoteMessage())
                    .contains("symbol must not be blank (NotBlank)")
                    .contains("quantity must be greater than 0 (Positive)");

            byte[] unit = client.call("quotes.unit", "INIT".getBytes(StandardCharsets.UTF_8), CALL);
            assertThat(new String(unit, StandardCharsets.UTF_8)).isEqualTo("1");
        }
        assertThat(server.isAlive()).as(server.tail()).isTrue();

        server.terminate();
        // 0, not the JVM's 143: the starter handles SIGTERM while the server runs (shmipc.server.exit-zero-on-sigterm)
        // and exits with 0 once the shutdown hooks (Spring's context close: drain, remove the files) have run.
        assertThat(server.waitFor(STARTUP)).as(server.tail()).isZero();
        assertThat(server.lines())
                .anyMatch(line -> line.contains("shmipc server '" + name + "' stopped"))
                .noneMatch(line -> line.contains("restricted method"))
                .noneMatch(line -> line.contains("Exception in thread"));
        try (Stream<Path> files = regionFiles()) {
            assertThat(files).as("region files left in " + SHM).isEmpty();
        }
    }

    @Test
    void aCallInFlightWhenSigtermArrivesGetsItsReplyAndTheJvmExitsWithZero() throws Exception {
        server = startPlainServer("plain-server-drain");
        try (ShmClient client = new ShmClient(name, ShmConfig.builder().build())) {
            // quotes.settle answers only once the server has begun to stop, so this call is in flight throughout.
            CompletableFuture<byte[]> settle =
                    client.callAsync("quotes.settle", "drained-1".getBytes(StandardCharsets.UTF_8), STARTUP);
            server.awaitLine(line -> line.contains("settle drained-1 waits for the server to stop"), STARTUP);

            server.terminate();

            assertThat(new String(settle.get(STARTUP.toSeconds(), TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("settled drained-1");
        }
        assertThat(server.waitFor(STARTUP)).as(server.tail()).isZero();
        assertThat(server.lines()).anyMatch(line -> line.contains("shmipc server '" + name + "' stopped"));
        try (Stream<Path> files = regionFiles()) {
            assertThat(files).as("region files left in " + SHM).isEmpty();
        }
    }

    @Test
    void withExitZeroOnSigtermOffTheJvmKeepsItsOwnExitCode() throws Exception {
        server = startPlainServer("plain-server-143", "--shmipc.server.exit-zero-on-sigterm=false");

        server.terminate();

        assertThat(server.waitFor(STARTUP)).as(server.tail()).isEqualTo(143);
        assertThat(server.lines()).anyMatch(line -> line.contains("shmipc server '" + name + "' stopped"));
        try (Stream<Path> files = regionFiles()) {
            assertThat(files).as("region files left in " + SHM).isEmpty();
        }
    }

    private ChildJvm startPlainServer(String label, String... extraArgs) {
        String[] args = Stream.concat(Stream.of("--shmipc.name=" + name), Stream.of(extraArgs))
                .toArray(String[]::new);
        ChildJvm started = ChildJvm.jar(serverJar, args)
                .label(label)
                .jvmOptions("-Xmx256m")
                .logDirectory(logs)
                .removeOnClose(SHM.resolve(name))
                .start();
        started.awaitLine(line -> line.contains("Started QuoteServerApplication"), STARTUP);
        return started;
    }

    private Stream<Path> regionFiles() throws java.io.IOException {
        return Files.list(SHM).filter(file -> file.getFileName().toString().startsWith(name));
    }
}

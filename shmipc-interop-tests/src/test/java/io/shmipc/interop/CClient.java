package io.shmipc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The C client of clients/c, built once per test JVM with the system C compiler ({@code $CC}, else
 * {@code cc}) and {@code make}, into this module's target/c. Where either is missing the calling test is
 * skipped with a message saying how to install them; a build that fails (e.g. a warning, which is an
 * error there) fails the test.
 */
final class CClient {

    static final Duration LONG = Duration.ofSeconds(120);

    private static final Path SOURCES = Path.of(System.getProperty("shmipc.c.sources", "../clients/c"));
    private static final Path BUILD = Path.of(System.getProperty("shmipc.c.build", "target/c"));

    private static String missing;
    private static boolean built;

    private CClient() {}

    /** Builds the library, the tool and the driver unless done; skips the caller where there is no compiler. */
    static synchronized void build() throws IOException, InterruptedException {
        if (!built && missing == null) {
            String cc = System.getenv().getOrDefault("CC", "cc");
            for (String tool : List.of(cc, "make")) {
                if (!runs(tool, "--version")) {
                    missing = "the C client interop tests need a C compiler and make, and '" + tool
                            + "' was not found; install them (Debian/Ubuntu: apt-get install gcc make) to run them";
                }
            }
            if (missing != null) {
                System.err.println("[shmipc-interop-tests] SKIPPED: " + missing);
            }
            if (missing == null) {
                Process make = new ProcessBuilder(
                                "make",
                                "-C",
                                SOURCES.toAbsolutePath().toString(),
                                "O=" + BUILD.toAbsolutePath(),
                                "CC=" + cc)
                        .redirectErrorStream(true)
                        .start();
                String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(make.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(make.exitValue())
                        .as("make of clients/c (warnings are errors) printed:\n%s", output)
                        .isZero();
                built = true;
            }
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    private static boolean runs(String program, String argument) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(program, argument)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the shmipc-call tool started with these arguments */
    static NativeProcess startTool(Path directory, String... args) {
        List<String> command = new ArrayList<>(
                List.of(BUILD.resolve("shmipc-call").toAbsolutePath().toString(), "-d", directory.toString()));
        command.addAll(List.of(args));
        return NativeProcess.start(command);
    }

    /** Runs the tool to its end. */
    static ToolRun runTool(Path directory, String... args) {
        try (NativeProcess tool = startTool(directory, args)) {
            int exit = tool.waitFor(LONG);
            return new ToolRun(exit, tool.stdout(), tool.stderr());
        }
    }

    /** @return the test driver (tests/shmipc-driver.c) for a name, after it printed READY */
    static NativeProcess startDriver(String name, Path directory) {
        NativeProcess driver = NativeProcess.start(
                List.of(BUILD.resolve("shmipc-driver").toAbsolutePath().toString(), name, directory.toString()));
        assertThat(driver.nextLine(LONG)).isEqualTo("READY");
        return driver;
    }

    /** What a finished tool run left: exit code, stdout and stderr. */
    record ToolRun(int exit, String stdout, String stderr) {}
}

package io.shmipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shmipc region of one test, as a JUnit extension: a unique name (so tests running at the same time
 * never meet) and a fresh directory for its files, plus the Spring Boot server applications the test
 * starts in child JVMs. Register it on an instance field with {@code @RegisterExtension}; its name and
 * directory are fixed when the field is created, so other fields (an {@code ApplicationContextRunner})
 * can be built from them.
 *
 * <p>After each test it stops the children it started and deletes the directory with whatever was left
 * in it, so a test leaves no process and no file behind.
 */
public final class ShmTestRegion implements BeforeEachCallback, AfterEachCallback {

    private static final Duration SERVER_START = Duration.ofSeconds(120);

    private final String name;
    private final Path directory;
    private final List<ChildJvm> children = new ArrayList<>();

    /** A region named {@code shmipc-test-<random>}. */
    public ShmTestRegion() {
        this("shmipc-test");
    }

    /** @param prefix how the region's name starts; a random suffix makes it unique */
    public ShmTestRegion(String prefix) {
        this.name = prefix + "-" + UUID.randomUUID();
        this.directory = Path.of(System.getProperty("java.io.tmpdir"), name + ".dir");
    }

    /** @return the region's name, for {@code shmipc.name} */
    public String name() {
        return name;
    }

    /** @return the folder of the region's files, for {@code shmipc.directory}; it exists during the test */
    public Path directory() {
        return directory;
    }

    /**
     * The properties that point shmipc at this region, followed by the given ones.
     *
     * @param more further properties, as {@code key=value}
     * @return {@code shmipc.name} and {@code shmipc.directory} for this region, then {@code more}
     */
    public String[] properties(String... more) {
        List<String> properties = new ArrayList<>(List.of("shmipc.name=" + name, "shmipc.directory=" + directory));
        properties.addAll(List.of(more));
        return properties.toArray(String[]::new);
    }

    /**
     * Starts a Spring Boot application as the region's server in a child JVM ({@code --shmipc.role=server},
     * no banner) and waits until it prints {@code readyLine}. The child is stopped after the test.
     *
     * @param application the application's main class, from this JVM's class path
     * @param readyLine text the application prints once it serves
     * @return the running child
     */
    public ChildJvm startServerApplication(Class<?> application, String readyLine) {
        ChildJvm child = ChildJvm.main(
                        application,
                        "--shmipc.name=" + name,
                        "--shmipc.directory=" + directory,
                        "--shmipc.role=server",
                        "--spring.main.banner-mode=off")
                .removeOnClose(directory.resolve(name))
                .start();
        children.add(child);
        child.awaitLine(line -> line.contains(readyLine), SERVER_START);
        return child;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            children.reversed().forEach(ChildJvm::close);
            children.clear();
        } finally {
            deleteDirectory();
        }
    }

    private void deleteDirectory() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

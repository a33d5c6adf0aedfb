package io.shmipc.architecture;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The main classes of every module of the project: each sibling module's {@code target/classes}. Found
 * by looking, not from a list, so that a module added later is checked without editing this class.
 * Test classes are not read: the rules are about what ships.
 */
public final class ModuleClasses implements LocationProvider {

    /** The project's root: the parent of this module's directory (the working directory of the test). */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Override
    public Set<Location> get(Class<?> testClass) {
        return directories().stream().map(Location::of).collect(Collectors.toSet());
    }

    /**
     * The {@code target/classes} directory of each module that has one.
     *
     * @return the directories
     */
    static Set<Path> directories() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            Set<Path> found = modules.filter(module -> Files.isRegularFile(module.resolve("pom.xml")))
                    .map(module -> module.resolve("target").resolve("classes"))
                    .filter(Files::isDirectory)
                    .collect(Collectors.toSet());
            if (found.isEmpty()) {
                throw new IllegalStateException("no module classes under " + ROOT + "; build the modules first");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

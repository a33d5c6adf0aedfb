package io.shmipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds and removes what a test's regions left in a directory, e.g. {@code /dev/shm} after a kill. */
public final class LeftoverFiles {

    private LeftoverFiles() {}

    /**
     * Lists the files in {@code directory} whose names start with {@code prefix}.
     *
     * @param directory where to look
     * @param prefix how the names start (a test's unique region name)
     * @return the files, empty when the directory is missing
     */
    public static List<Path> list(Path directory, String prefix) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the files in {@code directory} whose names start with {@code prefix}.
     *
     * @param directory where to look
     * @param prefix how the names start (a test's unique region name)
     */
    public static void delete(Path directory, String prefix) {
        for (Path file : list(directory, prefix)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

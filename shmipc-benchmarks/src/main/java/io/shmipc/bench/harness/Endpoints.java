package io.shmipc.bench.harness;

import io.shmipc.bench.transport.Transport;
import io.shmipc.core.ShmConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh endpoints for each server session. Every file name starts with {@code shmipc-bench-<pid>-},
 * so cleaning up touches only what this run made.
 */
final class Endpoints {

    private final String prefix = "shmipc-bench-" + ProcessHandle.current().pid() + "-";
    private final Path shmDirectory = ShmConfig.defaultDirectory();
    private final Path socketDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    String fresh(Transport transport, int round) throws IOException {
        String name = prefix + transport.id() + "-r" + round;
        return switch (transport.endpointKind()) {
            case SHM_NAME -> name;
            case SHARED_FILE -> {
                Files.createDirectories(shmDirectory);
                yield shmDirectory.resolve(name).toString();
            }
            case SOCKET_FILE -> socketDirectory.resolve(name + ".sock").toString();
            case TCP_PORT -> Integer.toString(freePort());
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Deletes whatever a killed server may have left behind. */
    void cleanUp() {
        for (Path dir : new Path[] {shmDirectory, socketDirectory}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, prefix + "*")) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            } catch (IOException e) {
                System.err.println("could not clean " + dir + ": " + e.getMessage());
            }
        }
    }
}

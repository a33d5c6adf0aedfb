package io.shmipc.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process that holds a server lock (byte 0 of a lock file, as a starting server does) until its stdin closes.
 * Args: the lock file. Prints {@code LOCKED} once it holds it.
 */
public final class LockHolderMain {

    private LockHolderMain() {}

    /**
     * @param args the lock file
     * @throws IOException when it cannot be opened or locked
     */
    public static void main(String[] args) throws IOException {
        try (FileChannel channel =
                        FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock(0, 1, false)) {
            System.out.println("LOCKED " + lock.isValid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin (or the process is killed)
            }
        }
    }
}

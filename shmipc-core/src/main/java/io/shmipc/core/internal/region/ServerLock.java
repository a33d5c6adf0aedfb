package io.shmipc.core.internal.region;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The single-server lock: an exclusive OS lock on byte 0 of {@code <name>.lock}, which holds the
 * owner's pid as text. The OS releases it when the process dies, even after {@code kill -9}, which
 * is what lets a new server take over a dead one's region.
 */
public final class ServerLock {

    private final RegionPaths paths;
    private final SharedFileChannels.SharedChannel channel;
    private final FileLock lock;

    private ServerLock(RegionPaths paths, SharedFileChannels.SharedChannel channel, FileLock lock) {
        this.paths = paths;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param paths the name's paths
     * @param fileMode mode of the lock file if created
     * @return the held lock
     * @throws ShmServerAlreadyRunningException when another server, in this or another process, holds it
     */
    public static ServerLock acquire(RegionPaths paths, int fileMode) {
        try {
            Files.createDirectories(paths.directory());
            for (int attempt = 0; attempt < 10; attempt++) {
                SharedFileChannels.SharedChannel channel = SharedFileChannels.open(paths.lock(), true, fileMode);
                FileLock lock;
                try {
                    lock = channel.channel().tryLock(0, 1, false);
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    long pid = readPid(channel);
                    channel.release();
                    throw new ShmServerAlreadyRunningException(
                            paths.name(), pid, paths.lock().toString());
                }
                if (!channel.isStillAt(paths.lock())) {
                    // A stopping server deleted the file we locked: our lock guards nothing. Retry on the new file.
                    lock.release();
                    channel.release();
                    continue;
                }
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                channel.channel().truncate(0);
                channel.channel().write(ByteBuffer.wrap(pid), 0);
                return new ServerLock(paths, channel, lock);
            }
            throw new ShmException("the lock file " + paths.lock()
                    + " keeps being replaced; is another server starting and stopping in a loop?");
        } catch (IOException e) {
            throw new ShmException(
                    "cannot take the server lock " + paths.lock() + ": " + e + "; check that " + paths.directory()
                            + " is writable by this user",
                    e);
        }
    }

    private static long readPid(SharedFileChannels.SharedChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.channel().read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes the lock file while still holding the lock, then releases it. */
    public void releaseAndDelete() {
        try {
            Files.deleteIfExists(paths.lock());
        } catch (IOException ignored) {
            // a leftover lock file is harmless: the next server reuses it
        }
        release();
    }

    /** Releases the lock and keeps the file. */
    public void release() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below drops it anyway
        }
        channel.release();
    }
}

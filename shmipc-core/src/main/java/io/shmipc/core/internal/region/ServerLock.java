package io.shmipc.core.internal.region;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.jspecify.annotations.Nullable;

/**
 * The single-server lock: an exclusive OS lock on byte 0 of {@code <name>.lock}, which holds the
 * owner's pid as text. The OS releases it when the process dies, even after {@code kill -9}, which
 * is what lets a new server take over a dead one's region.
 */
public final class ServerLock {

    private final RegionPaths paths;
    private final int fileMode;
    /** Guarded by {@code this}: replaced when the file was deleted under us and we lock a new one. */
    private SharedFileChannels.SharedChannel channel;

    private FileLock lock;
    private boolean released;

    private ServerLock(RegionPaths paths, int fileMode, SharedFileChannels.SharedChannel channel, FileLock lock) {
        this.paths = paths;
        this.fileMode = fileMode;
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
                if (!FileTrust.ownedBySelf(channel)) {
                    // Another user's file (planted?). We hold its lock, so no server uses it: replace it by ours.
                    lock.release();
                    try {
                        Files.delete(paths.lock());
                    } catch (IOException e) {
                        String message = FileTrust.foreignFileMessage("lock file", paths.lock(), channel);
                        channel.release();
                        throw new ShmException(message, e);
                    }
                    channel.release();
                    continue;
                }
                if (!FileTrust.modeWithin(channel, fileMode)) {
                    // Ours, but wider open than configured (say, an earlier run with another file mode).
                    Files.setPosixFilePermissions(paths.lock(), SharedFileChannels.permissionSet(fileMode));
                }
                writePid(channel);
                return new ServerLock(paths, fileMode, channel, lock);
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

    private static void writePid(SharedFileChannels.SharedChannel channel) throws IOException {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.channel().truncate(0);
        channel.channel().write(ByteBuffer.wrap(pid), 0);
    }

    /** @return true while the lock file at the path is the one this server locked */
    public synchronized boolean isHeldAtPath() {
        return !released && channel.isStillAt(paths.lock());
    }

    /**
     * Checks that the lock file at the path is still the one this server locked, and if someone
     * deleted or replaced it (an operator cleaning "stale" files, systemd's RemoveIPC), locks a new
     * one at the path. Without this a second server could take the name, and the live region with it.
     *
     * @return null when this server holds the lock at the path (again); else why it does not: another
     *         process holds the new file's lock, or it cannot be created. The caller retries next time.
     */
    public synchronized @Nullable String ensureHeldAtPath() {
        if (released) {
            return "the lock was released";
        }
        if (channel.isStillAt(paths.lock())) {
            return null;
        }
        SharedFileChannels.SharedChannel fresh = null;
        try {
            fresh = SharedFileChannels.open(paths.lock(), true, fileMode);
            FileLock freshLock;
            try {
                freshLock = fresh.channel().tryLock(0, 1, false);
            } catch (OverlappingFileLockException e) {
                freshLock = null;
            }
            if (freshLock == null) {
                String why = "the lock file " + paths.lock() + " was deleted and another process (pid " + readPid(fresh)
                        + ") now locks a new one";
                fresh.release();
                return why;
            }
            writePid(fresh);
            FileLock old = lock;
            SharedFileChannels.SharedChannel oldChannel = channel;
            lock = freshLock;
            channel = fresh;
            try {
                old.release();
            } catch (IOException ignored) {
                // the old inode is gone from the path; releasing its channel below drops it anyway
            }
            oldChannel.release();
            return null;
        } catch (IOException | RuntimeException e) {
            if (fresh != null) {
                fresh.release();
            }
            return "the lock file " + paths.lock() + " was deleted and cannot be re-created: " + e;
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

    /**
     * Deletes the lock file while still holding the lock, then releases it. The file is deleted only
     * if the path still names the file this server locked: one that replaced it belongs to somebody
     * else (say, a server that started after ours was deleted). Idempotent.
     */
    public synchronized void releaseAndDelete() {
        if (released) {
            return;
        }
        try {
            if (channel.isStillAt(paths.lock())) {
                Files.deleteIfExists(paths.lock());
            }
        } catch (IOException ignored) {
            // a leftover lock file is harmless: the next server reuses it
        }
        release();
    }

    /** Releases the lock and keeps the file. Idempotent. */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below drops it anyway
        }
        channel.release();
    }
}

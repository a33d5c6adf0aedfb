package io.shmipc.core.internal.region;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Removes a region whose server is gone, under the engine's own rules: the remover takes the
 * single-server lock exactly as a starting server would, so no server can start (or still run) while
 * the files go; then it takes every client registration byte of the region at once, which succeeds only
 * when no live process is registered on the region (the OS drops a registration when its process dies).
 * While it holds both, it deletes the region, then the lock file, and lets go.
 *
 * <p>A remover that loses any race refuses and modifies nothing: the lock is held, a client is
 * registered, or the file at the path is no longer the one that was judged.
 */
public final class RegionRemoval {

    private RegionRemoval() {}

    /** How a removal ended. */
    public enum Kind {
        /** The files are gone. */
        REMOVED,
        /** Another process (or this one) holds the server lock: a server runs or is starting. */
        SERVER_LOCK_HELD,
        /** A live process is registered as a client of the region. */
        CLIENTS_REGISTERED,
        /** The file at the region path changed since it was judged. */
        REPLACED
    }

    /**
     * @param kind how it ended
     * @param removed the files removed
     */
    public record Outcome(Kind kind, List<Path> removed) {}

    /**
     * @param path a file
     * @return its identity (device and inode), null when it does not exist
     * @throws IOException when it is a symbolic link
     */
    public static @Nullable Object identify(Path path) throws IOException {
        return SharedFileChannels.fileKey(path);
    }

    /**
     * Removes the region and its lock file if nobody serves or uses it.
     *
     * @param paths the name's paths
     * @param judged the identity of the region file when its server was judged dead
     * @return what happened
     * @throws IOException when a file cannot be opened or deleted
     */
    public static Outcome removeAbandoned(RegionPaths paths, @Nullable Object judged) throws IOException {
        SharedFileChannels.SharedChannel lockChannel = SharedFileChannels.open(paths.lock(), true, 0600);
        try {
            FileLock serverLock = tryLock(lockChannel, 0, 1);
            if (serverLock == null) {
                return new Outcome(Kind.SERVER_LOCK_HELD, List.of());
            }
            try {
                if (!lockChannel.isStillAt(paths.lock())) {
                    // A stopping server deleted the file we locked; our lock guards nothing.
                    return new Outcome(Kind.SERVER_LOCK_HELD, List.of());
                }
                return removeRegionUnderServerLock(paths, judged);
            } finally {
                serverLock.release();
            }
        } finally {
            lockChannel.release();
        }
    }

    /**
     * Removes an orphan lock file (one whose region is gone) if no server holds its lock: it takes the lock as a
     * starting server would, checks that the path still names the identified file and that no region appeared,
     * and deletes the file while it holds the lock, as a stopping server does.
     *
     * @param orphan the lock file as identified
     * @return {@link Kind#REMOVED}, {@link Kind#SERVER_LOCK_HELD}, or {@link Kind#REPLACED} when the lock file was
     *     replaced or a region appeared beside it
     * @throws NoSuchFileException when the lock file is gone
     * @throws IOException when it cannot be opened or deleted
     */
    public static Outcome removeOrphanLock(OrphanLock orphan) throws IOException {
        RegionPaths paths = orphan.paths();
        SharedFileChannels.SharedChannel lockChannel = SharedFileChannels.open(paths.lock(), false, 0600);
        try {
            FileLock serverLock = tryLock(lockChannel, 0, 1);
            if (serverLock == null) {
                return new Outcome(Kind.SERVER_LOCK_HELD, List.of());
            }
            try {
                if (!lockChannel.isStillAt(paths.lock())
                        || !orphan.identity().equals(identify(paths.lock()))
                        || Files.exists(paths.region(), LinkOption.NOFOLLOW_LINKS)) {
                    return new Outcome(Kind.REPLACED, List.of());
                }
                Files.delete(paths.lock());
                return new Outcome(Kind.REMOVED, List.of(paths.lock()));
            } finally {
                serverLock.release();
            }
        } finally {
            lockChannel.release();
        }
    }

    private static Outcome removeRegionUnderServerLock(RegionPaths paths, @Nullable Object judged) throws IOException {
        SharedFileChannels.SharedChannel regionChannel = SharedFileChannels.open(paths.region(), false, 0600);
        try {
            if (!regionChannel.isStillAt(paths.region())
                    || judged == null
                    || !judged.equals(identify(paths.region()))) {
                return new Outcome(Kind.REPLACED, List.of());
            }
            FileLock registrations =
                    tryLock(regionChannel, SharedFileChannels.REGISTRATION_BASE, SharedFileChannels.MAX_REGISTRATIONS);
            if (registrations == null) {
                return new Outcome(Kind.CLIENTS_REGISTERED, List.of());
            }
            try {
                List<Path> removed = new ArrayList<>();
                Files.delete(paths.region());
                removed.add(paths.region());
                RegionMapper.deleteLeftoverTemporaries(paths);
                // Deleted while the server lock is still held, as a stopping server does.
                if (Files.deleteIfExists(paths.lock())) {
                    removed.add(paths.lock());
                }
                return new Outcome(Kind.REMOVED, removed);
            } finally {
                registrations.release();
            }
        } finally {
            regionChannel.release();
        }
    }

    /** @return the lock, or null when another process or this JVM holds any byte of the range */
    private static @Nullable FileLock tryLock(SharedFileChannels.SharedChannel channel, long start, long length)
            throws IOException {
        try {
            return channel.channel().tryLock(start, length, false);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}

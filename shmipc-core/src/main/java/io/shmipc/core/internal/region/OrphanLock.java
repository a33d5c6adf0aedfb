package io.shmipc.core.internal.region;

import io.shmipc.core.ShmConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A server lock file whose region file is gone: left by a server killed after it took its lock and before it
 * created its region, or by a region deleted by hand. It is identified as shmipc's before anything is done
 * with it: {@code <valid name>.lock}, a regular file (not a symbolic link), no region path beside it, and
 * empty or holding only what a server writes there (its pid in ASCII decimal and a newline, PROTOCOL.md 7.1).
 *
 * @param paths the name's paths
 * @param identity the lock file's identity (device and inode) when it was identified
 * @param recordedPid the pid the last server wrote into it, -1 when empty
 */
public record OrphanLock(RegionPaths paths, Object identity, long recordedPid) {

    private static final String SUFFIX = ".lock";

    /** The longest content a server writes: a 64-bit pid in decimal and a newline. */
    private static final int MAX_CONTENT = 20;

    /**
     * @param directory a region folder
     * @return the paths of every name with a lock file and no region file, by name; not yet identified
     * @throws IOException when the folder cannot be listed
     */
    public static List<RegionPaths> candidates(Path directory) throws IOException {
        List<RegionPaths> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(SUFFIX)) {
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                try {
                    ShmConfig.validateName(name);
                } catch (IllegalArgumentException notAName) {
                    continue;
                }
                RegionPaths paths = RegionPaths.of(directory, name);
                if (!Files.exists(paths.region(), LinkOption.NOFOLLOW_LINKS)) {
                    found.add(paths);
                }
            }
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return found;
    }

    /**
     * Identifies the lock file of {@code paths} as an orphan shmipc lock file.
     *
     * @param paths the name's paths
     * @return the orphan, or null when its region exists (not an orphan) or the lock file is missing
     * @throws NotOurs when a file is at the lock path that shmipc did not write: never touch it
     * @throws IOException when the file cannot be read
     */
    public static @Nullable OrphanLock identify(RegionPaths paths) throws IOException {
        if (Files.exists(paths.region(), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path lock = paths.lock();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (attributes.isSymbolicLink() || !attributes.isRegularFile()) {
            throw new NotOurs(lock + " is not a regular file, so no shmipc lock file");
        }
        if (attributes.size() > MAX_CONTENT) {
            throw new NotOurs(lock + " is " + attributes.size() + " bytes; a shmipc lock file holds at most a pid");
        }
        // Read through the shared channel: closing a descriptor of its own would drop any lock this JVM holds on it.
        SharedFileChannels.SharedChannel channel = SharedFileChannels.open(lock, false, 0600);
        String content;
        Object identity;
        try {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_CONTENT + 1);
            channel.channel().read(buffer, 0);
            content = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            identity = SharedFileChannels.fileKey(lock);
        } finally {
            channel.release();
        }
        if (identity == null) {
            return null;
        }
        String pid = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (!pid.isEmpty() && !pid.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NotOurs(lock + " holds text a shmipc server never writes there (not a pid)");
        }
        try {
            return new OrphanLock(paths, identity, pid.isEmpty() ? -1 : Long.parseLong(pid));
        } catch (NumberFormatException e) {
            throw new NotOurs(lock + " holds a number no pid has");
        }
    }

    /** A file at a lock path that shmipc did not write. */
    public static final class NotOurs extends IOException {

        private static final long serialVersionUID = 1L;

        /** @param message what was found */
        public NotOurs(String message) {
            super(message);
        }
    }
}

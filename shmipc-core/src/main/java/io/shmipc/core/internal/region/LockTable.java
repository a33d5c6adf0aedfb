package io.shmipc.core.internal.region;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who holds shmipc's record locks, read from {@code /proc/locks} without taking any lock.
 *
 * <p>Why not {@code tryLock}: a probe holds the lock for a moment, and a server starting at that moment
 * would be refused as "already running". {@code /proc/locks} lists every POSIX lock on the host with its
 * holder's pid (translated into this process's pid namespace, 0 when the holder is not visible from it)
 * and the file's device and inode, so reading it disturbs nobody and works across pid namespaces.
 *
 * @param entries the POSIX locks held, by file
 */
public record LockTable(Map<FileId, List<Held>> entries) {

    /** Where the kernel lists locks. */
    static final Path PROC_LOCKS = Path.of("/proc/locks");

    /**
     * A file's identity as the kernel prints it.
     *
     * @param major device major number
     * @param minor device minor number
     * @param inode inode number
     */
    public record FileId(long major, long minor, long inode) {

        /**
         * @param path a file, not followed if it is a link
         * @return its identity, or null when it is gone or unreadable
         */
        static FileId of(Path path) {
            try {
                long dev = (Long) Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                long inode = (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                // glibc's gnu_dev_major / gnu_dev_minor
                long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
                long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
                return new FileId(major, minor, inode);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * One held lock.
     *
     * @param pid the holder, 0 when it is in a pid namespace this process cannot see
     * @param start first byte locked
     * @param end last byte locked, {@link Long#MAX_VALUE} for "to end of file"
     */
    public record Held(long pid, long start, long end) {}

    /** @return the host's lock table, or null where {@code /proc/locks} cannot be read */
    public static LockTable read() {
        return read(PROC_LOCKS);
    }

    static LockTable read(Path source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Map<FileId, List<Held>> entries = new LinkedHashMap<>();
        for (String line : lines) {
            // "1: POSIX  ADVISORY  WRITE 1234 00:1a:5678 0 EOF"; waiters have "->" before the type: skip them.
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8 || !fields[1].equals("POSIX")) {
                continue;
            }
            try {
                String[] id = fields[5].split(":");
                FileId file = new FileId(
                        Long.parseLong(id[0], 16), Long.parseLong(id[1], 16), Long.parseLong(id[id.length - 1]));
                long end = fields[7].equals("EOF") ? Long.MAX_VALUE : Long.parseLong(fields[7]);
                entries.computeIfAbsent(file, key -> new ArrayList<>())
                        .add(new Held(Long.parseLong(fields[4]), Long.parseLong(fields[6]), end));
            } catch (RuntimeException malformed) {
                // a line of a format this parser does not know: ignore it
            }
        }
        return new LockTable(entries);
    }

    /**
     * @param lockFile a server lock file
     * @return the pid holding its server lock (byte 0; 0 when not visible from here), or -1 when nobody does
     */
    public long serverLockHolder(Path lockFile) {
        for (Held held : locksOn(lockFile)) {
            if (held.start() == 0) {
                return held.pid();
            }
        }
        return -1;
    }

    /**
     * @param regionFile a region file
     * @return registration index → pid of every client process registered on it now
     */
    public Map<Integer, Long> registrations(Path regionFile) {
        Map<Integer, Long> registered = new LinkedHashMap<>();
        long last = SharedFileChannels.REGISTRATION_BASE + SharedFileChannels.MAX_REGISTRATIONS - 1;
        for (Held held : locksOn(regionFile)) {
            // A registration is one byte and a JVM holds one per file. A longer lock in the range is a
            // clean-up holding every index for a moment: counted once, at its first index.
            if (held.start() >= SharedFileChannels.REGISTRATION_BASE && held.start() <= last) {
                registered.put((int) (held.start() - SharedFileChannels.REGISTRATION_BASE), held.pid());
            }
        }
        return registered;
    }

    private List<Held> locksOn(Path file) {
        FileId id = FileId.of(file);
        return id == null ? List.of() : entries.getOrDefault(id, List.of());
    }
}

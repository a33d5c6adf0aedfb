package io.shmipc.core.internal.region;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@link FileChannel} per file per JVM, reference counted.
 *
 * <p>Why: shmipc's liveness rests on POSIX record locks, and those belong to the process, not the
 * channel: closing <em>any</em> descriptor of a file drops every lock the process holds on it. A server
 * and a client in one JVM, or two clients, must therefore share one channel per file, and a channel
 * is closed only when its last user lets go. Java also throws {@link OverlappingFileLockException}
 * for a second lock on a range this JVM holds, which {@link SharedChannel} turns into answers.
 *
 * <p>Files are opened with {@code NOFOLLOW_LINKS}: a symbolic link at a region or lock path is
 * refused, so nobody can make shmipc clobber another file.
 */
public final class SharedFileChannels {

    /** Client registration locks live far beyond any region's end so they never meet real data. */
    public static final long REGISTRATION_BASE = 1L << 40;
    /** Registration indexes probed before giving up. */
    static final int MAX_REGISTRATIONS = 1 << 20;

    private static final Map<Object, SharedChannel> OPEN = new HashMap<>();

    /**
     * @param index a value read from a slot's owner field
     * @return true when it can name a registration (0 to 2^20 - 1); NO_OWNER and garbage cannot
     */
    public static boolean isRegistrationIndex(int index) {
        return index >= 0 && index < MAX_REGISTRATIONS;
    }
    /**
     * Channels opened during a lost race with a rename whose inode is also open here. Closing them
     * would drop this process's locks on that inode, so they are kept until exit. Practically never used.
     */
    private static final List<FileChannel> UNCLOSABLE = new ArrayList<>();

    private SharedFileChannels() {}

    /**
     * Opens (or shares) the channel of the file now at {@code path}.
     *
     * @param path the file
     * @param create create the file if missing, with {@code fileMode}
     * @param fileMode POSIX mode for a created file, e.g. 0600
     * @return the shared channel; call {@link SharedChannel#release()} once done
     * @throws NoSuchFileException when the file is missing and {@code create} is false
     * @throws IOException when the path is a symbolic link or cannot be opened
     */
    public static SharedChannel open(Path path, boolean create, int fileMode) throws IOException {
        synchronized (OPEN) {
            for (int attempt = 0; attempt < 5; attempt++) {
                Object before = fileKey(path);
                if (before != null) {
                    SharedChannel shared = OPEN.get(before);
                    if (shared != null) {
                        shared.refs++;
                        return shared;
                    }
                } else if (!create) {
                    throw new NoSuchFileException(path.toString());
                }
                Set<OpenOption> options = new java.util.HashSet<>(
                        List.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
                if (create) {
                    options.add(StandardOpenOption.CREATE);
                }
                FileChannel channel = FileChannel.open(path, options, permissions(fileMode));
                Object after = fileKey(path);
                if (after == null || (before != null && !before.equals(after))) {
                    // The path was renamed or deleted under us: which inode we hold is unknown.
                    if ((before != null && OPEN.containsKey(before)) || (after != null && OPEN.containsKey(after))) {
                        UNCLOSABLE.add(channel);
                    } else {
                        channel.close();
                    }
                    continue;
                }
                if (before == null) {
                    // We created it: umask may have masked bits the caller asked for.
                    Files.setPosixFilePermissions(path, permissionSet(fileMode));
                }
                // FileChannel offers no fstat: owner and mode are read by path, between two identity checks
                // (the one above and this one), so they belong to the file we opened.
                Map<String, Object> unix = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                if (!after.equals(fileKey(path))) {
                    channel.close();
                    continue;
                }
                SharedChannel shared = new SharedChannel(
                        channel, after, path, unixAttribute(unix, "uid"), unixAttribute(unix, "mode"));
                OPEN.put(after, shared);
                return shared;
            }
            throw new IOException(path + " keeps being replaced while opening it; retry");
        }
    }

    /**
     * @param attributes attributes read with the {@code unix:} view
     * @param name the attribute's name
     * @return its value
     * @throws IOException when the file system did not report it
     */
    private static int unixAttribute(Map<String, Object> attributes, String name) throws IOException {
        if (!(attributes.get(name) instanceof Integer value)) {
            throw new IOException("the file system reported no unix:" + name + " attribute");
        }
        return value;
    }

    /**
     * @param path a path
     * @return the file's identity (device and inode), or null when it does not exist
     * @throws IOException when the path is a symbolic link
     */
    static @Nullable Object fileKey(Path path) throws IOException {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new IOException(
                        path + " is a symbolic link; shmipc refuses to follow links at its region and lock paths");
            }
            return attributes.fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static FileAttribute<Set<PosixFilePermission>> permissions(int fileMode) {
        return PosixFilePermissions.asFileAttribute(permissionSet(fileMode));
    }

    /**
     * @param fileMode a POSIX mode such as {@code 0600}
     * @return the same as permissions
     */
    public static Set<PosixFilePermission> permissionSet(int fileMode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((fileMode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** A channel shared by every user of one file in this JVM, with the process's locks on it. */
    public static final class SharedChannel {
        private final FileChannel channel;
        private final Object fileKey;
        private volatile Path path;
        private final int ownerUid;
        private final int mode;
        private int refs = 1;
        private @Nullable FileLock registration;
        private int registrationIndex = -1;
        private int registrationUsers;

        private SharedChannel(FileChannel channel, Object fileKey, Path path, int ownerUid, int mode) {
            this.ownerUid = ownerUid;
            this.mode = mode & 07777;
            this.channel = channel;
            this.fileKey = fileKey;
            this.path = path;
        }

        /** @return the uid that owned the file when it was opened */
        public int ownerUid() {
            return ownerUid;
        }

        /** @return the file's permission bits when it was opened, e.g. {@code 0600} */
        public int mode() {
            return mode;
        }

        /** @return the channel; never close it directly */
        public FileChannel channel() {
            return channel;
        }

        /** @return the path it was opened or last renamed at */
        public Path path() {
            return path;
        }

        void renamedTo(Path newPath) {
            this.path = newPath;
        }

        /**
         * @param candidate a path
         * @return true when {@code candidate} still names this channel's file
         */
        public boolean isStillAt(Path candidate) {
            try {
                return fileKey.equals(fileKey(candidate));
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * Registers this process as a client of the file: holds a one-byte lock at a free index.
         * Shared by every client in the JVM; the OS drops it when the process dies, which is how the
         * server learns that the owner of a slot is gone.
         *
         * @return the registration index
         * @throws IOException when no index is free or locking fails
         */
        public int retainRegistration() throws IOException {
            return retainRegistration(index -> {});
        }

        /**
         * As {@link #retainRegistration()}, and when this call takes the lock (rather than sharing one
         * this JVM already holds), runs {@code onTaken} with the index while still inside the lock that
         * guards registration, before any caller can use the index. An index is free only when its
         * previous holder is dead or let go of it, so {@code onTaken} is where slots that holder left
         * behind are released: once the index is ours again, the server could no longer tell them from ours.
         *
         * @param onTaken runs once per newly taken lock
         * @return the registration index
         * @throws IOException when no index is free or locking fails
         */
        public int retainRegistration(java.util.function.IntConsumer onTaken) throws IOException {
            synchronized (OPEN) {
                if (registration == null) {
                    int start = (int) (ProcessHandle.current().pid() % MAX_REGISTRATIONS);
                    for (int i = 0; i < MAX_REGISTRATIONS && registration == null; i++) {
                        int index = (start + i) % MAX_REGISTRATIONS;
                        try {
                            FileLock lock = channel.tryLock(REGISTRATION_BASE + index, 1, false);
                            if (lock != null) {
                                registration = lock;
                                registrationIndex = index;
                            }
                        } catch (OverlappingFileLockException e) {
                            // held inside this JVM (a server probing it): try the next
                        }
                    }
                    if (registration == null) {
                        throw new IOException("no free client registration index in " + path);
                    }
                    onTaken.accept(registrationIndex);
                }
                registrationUsers++;
                return registrationIndex;
            }
        }

        /** Drops one use of the registration; the lock goes with the last. */
        public void releaseRegistration() {
            synchronized (OPEN) {
                if (registrationUsers > 0 && --registrationUsers == 0) {
                    releaseRegistrationLock();
                }
            }
        }

        private void releaseRegistrationLock() {
            if (registration != null) {
                try {
                    registration.release();
                } catch (IOException ignored) {
                    // the channel is going away anyway
                }
                registration = null;
                registrationIndex = -1;
            }
        }

        /**
         * Asks the OS whether the process registered at {@code index} is alive.
         *
         * @param index a registration index read from a slot (validated here)
         * @return false only when nobody holds the index, i.e. its owner is certainly gone
         */
        public boolean isRegistrationHeld(int index) {
            if (index < 0 || index >= MAX_REGISTRATIONS) {
                return false;
            }
            synchronized (OPEN) {
                if (index == registrationIndex) {
                    return true;
                }
                try {
                    FileLock probe = channel.tryLock(REGISTRATION_BASE + index, 1, false);
                    if (probe == null) {
                        return true;
                    }
                    probe.release();
                    return false;
                } catch (OverlappingFileLockException e) {
                    return true;
                } catch (IOException e) {
                    return true;
                }
            }
        }

        /** Drops one reference; the last closes the channel, which drops this process's locks on the file. */
        public void release() {
            synchronized (OPEN) {
                if (--refs == 0) {
                    OPEN.remove(fileKey);
                    releaseRegistrationLock();
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing left to do with it
                    }
                }
            }
        }
    }
}

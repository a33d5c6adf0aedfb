package io.shmipc.core;

import io.shmipc.core.ShmConfigException.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a server or client. Immutable; build one with {@link #builder()}.
 *
 * <p>Geometry ({@code slotCount}, {@code slotCapacity}) is decided by the server and written into the
 * region header; clients read it from there, so their own geometry settings are ignored.
 *
 * @param directory folder holding the region and lock files
 * @param slotCount number of request slots, i.e. requests in flight at once (1 gives the classic
 *                  one-client-at-a-time mutex)
 * @param slotCapacity bytes of payload per slot; the largest request or reply
 * @param waitMode how waiting threads wait
 * @param spinTime how long {@link WaitMode#HYBRID} spins before blocking
 * @param livenessInterval how often the server beats its heartbeat and reclaims dead clients' slots
 * @param livenessTimeout how long without a heartbeat before a client declares the server dead
 * @param fileMode POSIX mode of the region and lock files, e.g. {@code 0600} (default) or {@code 0660}
 * @param serverConcurrency how many requests the server runs at once; 1 runs them on the dispatch thread
 * @param shutdownGrace how long a closing server lets in-flight requests finish
 * @param fileOwner the user a client trusts to own the region besides itself and root (the server's
 *                  user, when it differs), or null: a region owned by anyone else may have been planted
 *                  by another user and is refused
 */
public record ShmConfig(
        Path directory,
        int slotCount,
        int slotCapacity,
        WaitMode waitMode,
        Duration spinTime,
        Duration livenessInterval,
        Duration livenessTimeout,
        int fileMode,
        int serverConcurrency,
        Duration shutdownGrace,
        @Nullable String fileOwner) {

    /** Longest accepted region name; leaves room for suffixes within a 255-byte file name. */
    public static final int MAX_NAME_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");

    /** Upper bound on slots; keeps the server's scan short and the region small. */
    public static final int MAX_SLOTS = 4096;
    /** Upper bound on slot capacity (1 GiB): offsets stay well inside an int. */
    public static final int MAX_SLOT_CAPACITY = 1 << 30;

    /**
     * Validates every field.
     *
     * @throws ShmConfigException naming the setting to fix
     */
    public ShmConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(waitMode, "waitMode");
        Objects.requireNonNull(spinTime, "spinTime");
        Objects.requireNonNull(livenessInterval, "livenessInterval");
        Objects.requireNonNull(livenessTimeout, "livenessTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (slotCount < 1 || slotCount > MAX_SLOTS) {
            throw new ShmConfigException(
                    Setting.SLOT_COUNT, "must be between 1 and " + MAX_SLOTS + ", was " + slotCount);
        }
        if (slotCapacity < 64 || slotCapacity > MAX_SLOT_CAPACITY) {
            throw new ShmConfigException(
                    Setting.SLOT_CAPACITY, "must be between 64 bytes and 1 GiB, was " + slotCapacity);
        }
        if (spinTime.isNegative()) {
            throw new ShmConfigException(Setting.SPIN_TIME, "must not be negative, was " + spinTime);
        }
        if (livenessInterval.toMillis() < 1) {
            throw new ShmConfigException(Setting.LIVENESS_INTERVAL, "must be at least 1ms, was " + livenessInterval);
        }
        if (livenessTimeout.compareTo(livenessInterval.multipliedBy(2)) < 0) {
            throw new ShmConfigException(
                    Setting.LIVENESS_TIMEOUT,
                    "must be at least twice livenessInterval (" + livenessInterval + "), was " + livenessTimeout);
        }
        if ((fileMode & ~0777) != 0 || (fileMode & 0600) != 0600) {
            throw new ShmConfigException(
                    Setting.FILE_MODE,
                    "must be an octal mode within 0777 that lets the owner read and write, was 0"
                            + Integer.toOctalString(fileMode));
        }
        if (serverConcurrency < 1 || serverConcurrency > MAX_SLOTS) {
            throw new ShmConfigException(
                    Setting.SERVER_CONCURRENCY, "must be between 1 and " + MAX_SLOTS + ", was " + serverConcurrency);
        }
        if (shutdownGrace.isNegative()) {
            throw new ShmConfigException(Setting.SHUTDOWN_GRACE, "must not be negative, was " + shutdownGrace);
        }
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the defaults: /dev/shm (or tmpdir/shmipc), 16 slots of 64 KiB, hybrid wait spinning
     *         100 µs (a few times the cost of a futex wake-up on an idle core, so blocking is only
     *         paid for once spinning has cost more), liveness 250 ms / 1 s (each wake-up of an idle
     *         thread costs about 100-200 µs of CPU on a VM, so fewer beats keep an idle server near
     *         0.1% of a core; a dead server whose pid is visible is still found at once), mode 0600,
     *         one dispatch thread, 10 s shutdown grace
     */
    public static ShmConfig defaults() {
        return builder().build();
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        return new Builder()
                .directory(directory)
                .slotCount(slotCount)
                .slotCapacity(slotCapacity)
                .waitMode(waitMode)
                .spinTime(spinTime)
                .livenessInterval(livenessInterval)
                .livenessTimeout(livenessTimeout)
                .fileMode(fileMode)
                .serverConcurrency(serverConcurrency)
                .shutdownGrace(shutdownGrace)
                .fileOwner(fileOwner);
    }

    /**
     * Checks a region name, the name a server and its clients share; it is also the region file's name.
     *
     * @param name a candidate name
     * @throws ShmConfigException (setting {@link Setting#NAME}) when it is not 1 to 100 characters of
     *     {@code [A-Za-z0-9._-]}, starts with a dot, contains {@code ..}, or ends in {@code .lock} (which
     *     would be another name's lock file)
     */
    public static void validateName(String name) {
        if (name == null
                || !NAME.matcher(name).matches()
                || name.startsWith(".")
                || name.contains("..")
                || name.endsWith(".lock")) {
            throw new ShmConfigException(
                    Setting.NAME,
                    "'" + name + "' is an invalid shmipc name: use 1 to " + MAX_NAME_LENGTH
                            + " characters from A-Z a-z 0-9 . _ -, not starting with a dot, without '..' and not"
                            + " ending in '.lock'");
        }
    }

    /**
     * The default directory: {@code /dev/shm} where it exists (memory-backed on Linux), else a
     * {@code shmipc} folder under {@code java.io.tmpdir}.
     *
     * @return the folder regions go in when none is configured
     */
    public static Path defaultDirectory() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "shmipc");
    }

    /** Mutable builder of {@link ShmConfig}; every setter has a sensible default. */
    public static final class Builder {
        private Path directory = defaultDirectory();
        private int slotCount = 16;
        private int slotCapacity = 64 * 1024;
        private WaitMode waitMode = WaitMode.HYBRID;
        private Duration spinTime = Duration.ofNanos(100_000);
        private Duration livenessInterval = Duration.ofMillis(250);
        private Duration livenessTimeout = Duration.ofSeconds(1);
        private int fileMode = 0600;
        private int serverConcurrency = 1;
        private @Nullable String fileOwner;
        private Duration shutdownGrace = Duration.ofSeconds(10);

        private Builder() {}

        /**
         * @param directory folder for the region and lock files
         * @return this
         */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * @param slotCount requests in flight at once
         * @return this
         */
        public Builder slotCount(int slotCount) {
            this.slotCount = slotCount;
            return this;
        }

        /**
         * @param slotCapacity payload bytes per slot
         * @return this
         */
        public Builder slotCapacity(int slotCapacity) {
            this.slotCapacity = slotCapacity;
            return this;
        }

        /**
         * @param waitMode how waiters wait
         * @return this
         */
        public Builder waitMode(WaitMode waitMode) {
            this.waitMode = waitMode;
            return this;
        }

        /**
         * @param spinTime spin before blocking, in hybrid mode
         * @return this
         */
        public Builder spinTime(Duration spinTime) {
            this.spinTime = spinTime;
            return this;
        }

        /**
         * @param livenessInterval heartbeat and reclaim period
         * @return this
         */
        public Builder livenessInterval(Duration livenessInterval) {
            this.livenessInterval = livenessInterval;
            return this;
        }

        /**
         * @param livenessTimeout silence after which the server counts as dead
         * @return this
         */
        public Builder livenessTimeout(Duration livenessTimeout) {
            this.livenessTimeout = livenessTimeout;
            return this;
        }

        /**
         * @param fileMode POSIX mode as an int, e.g. {@code 0660}
         * @return this
         */
        public Builder fileMode(int fileMode) {
            this.fileMode = fileMode;
            return this;
        }

        /**
         * @param octal POSIX mode as octal text, e.g. {@code "0660"}
         * @return this
         */
        public Builder fileMode(String octal) {
            try {
                this.fileMode = Integer.parseInt(octal.trim(), 8);
            } catch (NumberFormatException e) {
                throw new ShmConfigException(
                        Setting.FILE_MODE, "must be octal like 0600 or 0660, was '" + octal + "'", e);
            }
            return this;
        }

        /**
         * @param serverConcurrency requests the server runs at once
         * @return this
         */
        public Builder serverConcurrency(int serverConcurrency) {
            this.serverConcurrency = serverConcurrency;
            return this;
        }

        /**
         * @param shutdownGrace time in-flight requests get on close
         * @return this
         */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /**
         * @param fileOwner user name a client trusts to own the region besides itself and root (set it to the
         *     server's user when clients run as other users), or null
         * @return this
         */
        public Builder fileOwner(@Nullable String fileOwner) {
            this.fileOwner = fileOwner == null || fileOwner.isBlank() ? null : fileOwner.trim();
            return this;
        }

        /** @return the validated configuration */
        public ShmConfig build() {
            return new ShmConfig(
                    directory,
                    slotCount,
                    slotCapacity,
                    waitMode,
                    spinTime,
                    livenessInterval,
                    livenessTimeout,
                    fileMode,
                    serverConcurrency,
                    shutdownGrace,
                    fileOwner);
        }
    }
}

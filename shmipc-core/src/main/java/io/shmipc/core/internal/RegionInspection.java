package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.ShmCleanResult;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmConfigException;
import io.shmipc.core.ShmInspectionException;
import io.shmipc.core.ShmInspectionException.Reason;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmRegionSnapshot;
import io.shmipc.core.ShmServerState;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.LockTable;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.OrphanLock;
import io.shmipc.core.internal.region.ProcessIdentity;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.region.RegionRemoval;
import io.shmipc.core.internal.region.SharedFileChannels;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The engine side of {@link io.shmipc.core.ShmRegionInspector}: reads regions without writing to them and
 * judges their servers with the clients' own {@link ServerLiveness}.
 *
 * <p>Files are identified before anything is mapped: not a symbolic link, a regular file at least a header
 * long, the shmipc magic, this layout version; then {@link RegionMapper#open} validates the geometry as a
 * client would. The mapping is only ever read.
 */
public final class RegionInspection {

    /** How often the heartbeat is looked at while a server is judged. */
    private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Path directory;
    private final ShmConfig config;

    /**
     * @param config directory and the liveness settings a client of these regions would use
     */
    public RegionInspection(ShmConfig config) {
        this.directory = config.directory().toAbsolutePath().normalize();
        this.config = config;
    }

    /** @return the folder inspected */
    public Path directory() {
        return directory;
    }

    // ---------------------------------------------------------------- list

    /**
     * @return every region in the directory, judged together, and a problem for each file that looks like a
     *     region (it has a lock file) but cannot be read as one; ordered by name
     */
    public List<Listed> list() {
        checkDirectory();
        List<Listed> listed = new ArrayList<>();
        List<Opened> opened = new ArrayList<>();
        try {
            for (Path candidate : candidates()) {
                String name = candidate.getFileName().toString();
                try {
                    opened.add(open(RegionPaths.of(directory, name)));
                } catch (ShmInspectionException e) {
                    if (Files.exists(candidate.resolveSibling(name + ".lock"), LinkOption.NOFOLLOW_LINKS)
                            || e.reason() == Reason.OTHER_LAYOUT) {
                        listed.add(new Listed(name, candidate, null, e));
                    }
                }
            }
            judge(opened);
            LockTable locks = LockTable.read();
            for (Opened region : opened) {
                listed.add(new Listed(region.paths.name(), region.paths.region(), region.snapshot(locks), null));
            }
            for (OrphanLock orphan : orphanLocks()) {
                listed.add(new Listed(
                        orphan.paths().name(),
                        orphan.paths().lock(),
                        null,
                        new ShmInspectionException(Reason.ORPHAN_LOCK, describe(orphan, locks))));
            }
        } finally {
            opened.forEach(Opened::close);
        }
        listed.sort((a, b) -> a.name().compareTo(b.name()));
        return listed;
    }

    /**
     * A region, or a file that should be one.
     *
     * @param name its name
     * @param path its path
     * @param snapshot what it holds, null when it could not be read
     * @param problem why it could not be read, null when it could
     */
    public record Listed(
            String name,
            Path path,
            @Nullable ShmRegionSnapshot snapshot,
            @Nullable ShmInspectionException problem) {}

    /** @return the lock files without a region that are identified as shmipc's; others are left out */
    private List<OrphanLock> orphanLocks() {
        List<OrphanLock> orphans = new ArrayList<>();
        try {
            for (RegionPaths paths : OrphanLock.candidates(directory)) {
                try {
                    OrphanLock orphan = OrphanLock.identify(paths);
                    if (orphan != null) {
                        orphans.add(orphan);
                    }
                } catch (IOException notOursOrGone) {
                    // not a file shmipc wrote, or gone meanwhile: not listed, never touched
                }
            }
        } catch (IOException e) {
            throw new ShmInspectionException(
                    Reason.NO_DIRECTORY,
                    "cannot list " + directory + ": " + e.getMessage() + "; check that this user may read it");
        }
        return orphans;
    }

    private static String describe(OrphanLock orphan, @Nullable LockTable locks) {
        long holder = locks == null ? -1 : locks.serverLockHolder(orphan.paths().lock());
        String written = orphan.recordedPid() < 0 ? "empty" : "last written by pid " + orphan.recordedPid();
        return "lock file " + orphan.paths().lock() + " without its region (" + written + "); "
                + (holder >= 0
                        ? "its lock is held by pid " + pidText(holder) + ": a server is starting or hung; leave it"
                        : "nobody holds its lock: 'shmipc clean "
                                + orphan.paths().name() + "' removes it");
    }

    private List<Path> candidates() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(this::isCandidate).toList();
        } catch (IOException e) {
            throw new ShmInspectionException(
                    Reason.NO_DIRECTORY,
                    "cannot list " + directory + ": " + e.getMessage() + "; check that this user may read it");
        }
    }

    /**
     * Which files to open: a valid name, a regular file, and either a lock file beside it or a size a region
     * can have. Other programs' files in a shared folder are never opened.
     */
    private boolean isCandidate(Path file) {
        String name = file.getFileName().toString();
        try {
            ShmConfig.validateName(name);
        } catch (IllegalArgumentException notAName) {
            return false;
        }
        if (Files.exists(file.resolveSibling(name + ".lock"), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long size = attributes.size();
            return attributes.isRegularFile()
                    && size % RegionDescriptor.CACHE_LINE == 0
                    && size >= RegionDescriptor.regionSize(1, 64);
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- inspect

    /**
     * @param name a shmipc name
     * @return a snapshot of its region, its server judged
     * @throws ShmInspectionException when there is no such region or the file is not one
     */
    public ShmRegionSnapshot inspect(String name) {
        try (Opened region = open(paths(name))) {
            judge(List.of(region));
            return region.snapshot(LockTable.read());
        }
    }

    // ---------------------------------------------------------------- clean

    /**
     * Removes the region of {@code name} if its server is dead and no live client maps it.
     *
     * @param name a shmipc name
     * @param dryRun judge only; modify nothing
     * @return what was done, or why not
     * @throws ShmInspectionException when there is no such region or the file is not one
     */
    public ShmCleanResult clean(String name, boolean dryRun) {
        RegionPaths paths = paths(name);
        if (!Files.exists(paths.region(), LinkOption.NOFOLLOW_LINKS)) {
            return cleanOrphanLock(paths, dryRun);
        }
        ShmRegionSnapshot snapshot;
        @Nullable Object identity;
        try (Opened region = open(paths)) {
            judge(List.of(region));
            snapshot = region.snapshot(LockTable.read());
            identity = region.identity;
        }
        return clean(paths, snapshot, identity, dryRun);
    }

    /**
     * Removes every region of the directory whose server is dead or closed and that no live client maps.
     *
     * @param dryRun judge only; modify nothing
     * @return one result per region, live ones refused
     */
    public List<ShmCleanResult> cleanAll(boolean dryRun) {
        List<ShmCleanResult> results = new ArrayList<>();
        for (Listed listed : list()) {
            ShmInspectionException problem = listed.problem();
            if (listed.snapshot() != null || (problem != null && problem.reason() == Reason.ORPHAN_LOCK)) {
                String name = listed.name();
                try {
                    results.add(clean(name, dryRun));
                } catch (ShmInspectionException gone) {
                    // removed or replaced since it was listed: nothing of ours to do
                }
            }
        }
        return results;
    }

    private ShmCleanResult clean(
            RegionPaths paths, ShmRegionSnapshot snapshot, @Nullable Object identity, boolean dryRun) {
        String name = paths.name();
        Path path = paths.region();
        if (snapshot.state() == ShmServerState.RUNNING || snapshot.state() == ShmServerState.DRAINING) {
            return refused(
                    paths,
                    ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                    "server pid " + snapshot.serverPid() + " is " + snapshot.state()
                            + "; a live region is never removed: stop the server (it removes its files itself)");
        }
        if (snapshot.serverLockPid() >= 0) {
            return refused(
                    paths,
                    ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                    "the server lock " + paths.lock() + " is held by pid " + pidText(snapshot.serverLockPid())
                            + ": a server is starting or hung; stop it before cleaning");
        }
        List<ShmRegionSnapshot.ClientProcess> clients = snapshot.liveClients();
        if (!clients.isEmpty()) {
            return refused(paths, ShmCleanResult.Outcome.REFUSED_CLIENTS_ALIVE, clientsText(snapshot));
        }
        String found = "server " + snapshot.state() + " (pid " + snapshot.serverPid() + "), no live client";
        if (dryRun) {
            return new ShmCleanResult(name, path, ShmCleanResult.Outcome.WOULD_REMOVE, List.of(), found);
        }
        try {
            RegionRemoval.Outcome outcome = RegionRemoval.removeAbandoned(paths, identity);
            return switch (outcome.kind()) {
                case REMOVED ->
                    new ShmCleanResult(name, path, ShmCleanResult.Outcome.REMOVED, outcome.removed(), found);
                case SERVER_LOCK_HELD ->
                    refused(
                            paths,
                            ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                            "a server took the lock " + paths.lock() + " while cleaning; nothing was removed");
                case CLIENTS_REGISTERED -> {
                    LockTable locks = LockTable.read();
                    yield refused(
                            paths,
                            ShmCleanResult.Outcome.REFUSED_CLIENTS_ALIVE,
                            "a live client process is registered on the region"
                                    + (locks == null
                                            ? ""
                                            : " (pids "
                                                    + locks.registrations(path).values() + ")")
                                    + "; stop it, or start a server for '" + name + "' (it takes the region over)");
                }
                case REPLACED ->
                    refused(
                            paths,
                            ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                            "the region was replaced while cleaning (a server started); nothing was removed");
            };
        } catch (NoSuchFileException e) {
            throw new ShmInspectionException(
                    Reason.NO_REGION, "region " + path + " disappeared while cleaning; nothing left to do");
        } catch (IOException e) {
            throw new ShmInspectionException(
                    Reason.NOT_ACCESSIBLE,
                    "cannot remove " + path + ": " + e.getMessage() + "; run as the user that owns " + paths.directory()
                            + "'s shmipc files",
                    e);
        }
    }

    /** Removes the name's lock file when its region is gone, it is identified as shmipc's and nobody holds it. */
    private static ShmCleanResult cleanOrphanLock(RegionPaths paths, boolean dryRun) {
        OrphanLock orphan;
        try {
            orphan = OrphanLock.identify(paths);
        } catch (OrphanLock.NotOurs e) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION,
                    "no region " + paths.name() + ", and " + e.getMessage()
                            + ": leave it alone (shmipc never removes it)");
        } catch (IOException e) {
            throw notAccessible(paths.lock(), e);
        }
        if (orphan == null) {
            throw noRegion(paths);
        }
        Path lock = paths.lock();
        LockTable locks = LockTable.read();
        long holder = locks == null ? -1 : locks.serverLockHolder(lock);
        if (holder >= 0) {
            return new ShmCleanResult(
                    paths.name(),
                    lock,
                    ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                    List.of(),
                    "the lock " + lock + " is held by pid " + pidText(holder)
                            + " though its region is gone: a server is starting or hung; stop it before cleaning");
        }
        String found = "lock file without its region ("
                + (orphan.recordedPid() < 0 ? "empty" : "last server pid " + orphan.recordedPid())
                + "), lock not held";
        if (dryRun) {
            return new ShmCleanResult(paths.name(), lock, ShmCleanResult.Outcome.WOULD_REMOVE, List.of(), found);
        }
        try {
            RegionRemoval.Outcome outcome = RegionRemoval.removeOrphanLock(orphan);
            return switch (outcome.kind()) {
                case REMOVED ->
                    new ShmCleanResult(paths.name(), lock, ShmCleanResult.Outcome.REMOVED, outcome.removed(), found);
                case SERVER_LOCK_HELD, CLIENTS_REGISTERED ->
                    new ShmCleanResult(
                            paths.name(),
                            lock,
                            ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                            List.of(),
                            "a server took the lock " + lock + " while cleaning; nothing was removed");
                case REPLACED ->
                    new ShmCleanResult(
                            paths.name(),
                            lock,
                            ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE,
                            List.of(),
                            "the lock file was replaced or a region appeared while cleaning (a server started);"
                                    + " nothing was removed");
            };
        } catch (NoSuchFileException e) {
            throw new ShmInspectionException(
                    Reason.NO_REGION, "lock file " + lock + " disappeared while cleaning; nothing left to do");
        } catch (IOException e) {
            throw notAccessible(lock, e);
        }
    }

    private static ShmCleanResult refused(RegionPaths paths, ShmCleanResult.Outcome outcome, String detail) {
        return new ShmCleanResult(paths.name(), paths.region(), outcome, List.of(), detail);
    }

    private static String clientsText(ShmRegionSnapshot snapshot) {
        List<String> pids = snapshot.liveClients().stream()
                .map(client -> pidText(client.pid()))
                .toList();
        return "server is " + snapshot.state() + " but live client processes still map the region (pids " + pids
                + "); stop them, or start a server for '" + snapshot.name() + "' (it takes the region over)";
    }

    private static String pidText(long pid) {
        return pid == 0 ? "in another pid namespace" : Long.toString(pid);
    }

    // ---------------------------------------------------------------- opening and judging

    private RegionPaths paths(String name) {
        checkDirectory();
        try {
            return RegionPaths.of(directory, name);
        } catch (ShmConfigException e) {
            throw new ShmInspectionException(Reason.INVALID_NAME, e.problem());
        }
    }

    private void checkDirectory() {
        if (!Files.isDirectory(directory)) {
            throw new ShmInspectionException(
                    Reason.NO_DIRECTORY,
                    "directory " + directory + " does not exist" + (Files.exists(directory) ? " as a directory" : "")
                            + "; pass the folder the server uses (shmipc.directory), e.g. --dir /dev/shm");
        }
    }

    /** Identifies the file as a region of this layout, then maps it. */
    private Opened open(RegionPaths paths) {
        Path path = paths.region();
        Object identity = identify(path);
        RegionMapper.Mapping mapping;
        try {
            mapping = RegionMapper.open(path);
        } catch (NoSuchFileException e) {
            throw noRegion(paths);
        } catch (AccessDeniedException e) {
            throw notAccessible(path, e);
        } catch (ShmProtocolException e) {
            throw new ShmInspectionException(Reason.NOT_A_REGION, String.valueOf(e.getMessage()), e);
        } catch (IOException e) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION, "cannot open " + path + " as a region: " + e.getMessage(), e);
        }
        return new Opened(paths, mapping, identity);
    }

    /**
     * Checks the file before mapping it: kind, size, magic and layout version.
     *
     * @return the file's identity (device and inode)
     */
    private static @Nullable Object identify(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw noRegion(path);
        } catch (IOException e) {
            throw notAccessible(path, e);
        }
        if (attributes.isSymbolicLink()) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION,
                    path + " is a symbolic link; shmipc never follows links at region paths: remove the link"
                            + " if it is yours, and point --dir at the real folder");
        }
        if (!attributes.isRegularFile()) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION, path + " is not a regular file, so not a shmipc region; leave it alone");
        }
        if (attributes.size() < RegionDescriptor.HEADER_SIZE) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION,
                    path + " is " + attributes.size() + " bytes, shorter than the " + RegionDescriptor.HEADER_SIZE
                            + "-byte shmipc header: not a shmipc region (or a truncated one); check what created it");
        }
        ByteBuffer head = readHead(path);
        long magic = head.getLong(RegionDescriptor.MAGIC_OFFSET);
        if (magic != RegionDescriptor.MAGIC) {
            throw new ShmInspectionException(
                    Reason.NOT_A_REGION,
                    path + " starts with 0x" + Long.toHexString(magic) + ", not the shmipc magic 0x"
                            + Long.toHexString(RegionDescriptor.MAGIC)
                            + "; it belongs to another program: leave it alone (shmipc never removes it)");
        }
        int version = head.getInt(RegionDescriptor.LAYOUT_VERSION_OFFSET);
        if (version != RegionDescriptor.LAYOUT_VERSION) {
            throw new ShmInspectionException(
                    Reason.OTHER_LAYOUT,
                    path + " is a shmipc region of layout version " + version + "; this tool reads version "
                            + RegionDescriptor.LAYOUT_VERSION + ": use the shmipc version its server runs");
        }
        try {
            return RegionRemoval.identify(path);
        } catch (IOException e) {
            throw notAccessible(path, e);
        }
    }

    /**
     * Reads the first 16 bytes with a positional read. Through the engine's shared channel, never a descriptor
     * of its own: closing any descriptor of a file drops every record lock this process holds on it, which
     * would unregister a client or server running in this JVM.
     */
    private static ByteBuffer readHead(Path path) {
        ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        try {
            SharedFileChannels.SharedChannel channel = SharedFileChannels.open(path, false, 0600);
            try {
                channel.channel().read(head, 0);
            } finally {
                channel.release();
            }
        } catch (NoSuchFileException e) {
            throw noRegion(path);
        } catch (IOException e) {
            throw notAccessible(path, e);
        }
        return head;
    }

    private static ShmInspectionException noRegion(RegionPaths paths) {
        return noRegion(paths.region());
    }

    private static ShmInspectionException noRegion(Path path) {
        return new ShmInspectionException(
                Reason.NO_REGION,
                "no region " + path.getFileName() + " in " + path.getParent()
                        + "; run 'shmipc list' to see the regions there, or pass the server's folder with --dir");
    }

    private static ShmInspectionException notAccessible(Path path, IOException e) {
        return new ShmInspectionException(
                Reason.NOT_ACCESSIBLE,
                "cannot open " + path + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); run as the server's user or a member of its group (shmipc.server.file-mode)",
                e);
    }

    /** Watches every region's heartbeat together until each server is judged, as its clients would. */
    private void judge(List<Opened> regions) {
        long start = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            boolean pending = false;
            for (Opened region : regions) {
                pending |= !region.step(now, start);
            }
            if (!pending) {
                return;
            }
            LockSupport.parkNanos(LOOK_NANOS);
        }
    }

    /** One mapped region being judged; the mapping is read, never written. */
    private final class Opened implements AutoCloseable {
        private final RegionPaths paths;
        private final RegionMapper.Mapping mapping;
        private final MappedRegion region;
        private final @Nullable Object identity;
        private final ServerLiveness liveness;
        private final long firstHeartbeat;
        private final long timeoutNanos;
        private long decidedAt;
        private long movedAt = -1;
        private boolean alive;

        Opened(RegionPaths paths, RegionMapper.Mapping mapping, @Nullable Object identity) {
            this.paths = paths;
            this.mapping = mapping;
            this.region = mapping.region();
            this.identity = identity;
            this.liveness = new ServerLiveness(region, config);
            this.firstHeartbeat = region.heartbeatVolatile();
            long interval = Math.max(config.livenessInterval().toNanos(), region.serverLivenessIntervalNanos());
            this.timeoutNanos = Math.max(config.livenessTimeout().toNanos(), 2 * interval);
        }

        /** @return true once judged: dead, closed, heartbeat seen moving, or silent for the whole timeout */
        boolean step(long now, long start) {
            if (decidedAt != 0) {
                return true;
            }
            if (region.serverStateVolatile() == RegionDescriptor.SERVER_CLOSED) {
                decidedAt = now;
                return true;
            }
            alive = liveness.isServerProcessAlive(now);
            if (region.heartbeatVolatile() != firstHeartbeat) {
                movedAt = now;
            }
            if (!alive || movedAt >= 0 || now - start >= timeoutNanos) {
                decidedAt = now;
                return true;
            }
            return false;
        }

        ShmRegionSnapshot snapshot(@Nullable LockTable locks) {
            int stateWord = region.serverStateVolatile();
            ShmServerState state;
            if (stateWord == RegionDescriptor.SERVER_CLOSED) {
                state = ShmServerState.CLOSED;
            } else if (!alive) {
                state = ShmServerState.DEAD;
            } else {
                state = stateWord == RegionDescriptor.SERVER_DRAINING
                        ? ShmServerState.DRAINING
                        : ShmServerState.RUNNING;
            }
            Map<Integer, Long> registered = locks == null ? Map.of() : locks.registrations(paths.region());
            List<ShmRegionSnapshot.Slot> slots = new ArrayList<>();
            Map<Integer, ShmRegionSnapshot.ClientProcess> clients = new LinkedHashMap<>();
            registered.forEach(
                    (index, pid) -> clients.put(index, new ShmRegionSnapshot.ClientProcess(index, pid, true)));
            for (int i = 0; i < region.slotCount(); i++) {
                ShmRegionSnapshot.Slot slot = slot(i, registered, locks != null);
                slots.add(slot);
                if (!slot.state().equals("FREE") && slot.ownerIndex() >= 0 && !slot.ownerAlive()) {
                    clients.putIfAbsent(
                            slot.ownerIndex(),
                            new ShmRegionSnapshot.ClientProcess(slot.ownerIndex(), slot.ownerPid(), false));
                }
            }
            long serverLockPid = locks == null ? -1 : locks.serverLockHolder(paths.lock());
            long heartbeatNanos = movedAt >= 0 ? System.nanoTime() - movedAt : -1;
            return new ShmRegionSnapshot(
                    paths.name(),
                    paths.region(),
                    state,
                    stateWord,
                    region.segment().get(ValueLayout.JAVA_INT, RegionDescriptor.LAYOUT_VERSION_OFFSET),
                    region.epochVolatile(),
                    region.serverPid(),
                    region.serverPidNamespace(),
                    processText(),
                    serverLockPid,
                    region.heartbeatVolatile(),
                    Duration.ofNanos(region.serverLivenessIntervalNanos()),
                    heartbeatNanos < 0 ? null : Duration.ofNanos(heartbeatNanos),
                    region.slotCount(),
                    region.slotCapacity(),
                    slots,
                    List.copyOf(clients.values()),
                    locks != null,
                    files(),
                    Instant.now());
        }

        private String processText() {
            return switch (ProcessIdentity.probe(
                    new ProcessIdentity(region.serverPid(), region.serverStartToken(), region.serverPidNamespace()))) {
                case ALIVE -> "alive";
                case STOPPED -> "stopped";
                case DEAD -> "dead";
                case UNKNOWN -> "not visible";
            };
        }

        private ShmRegionSnapshot.Slot slot(int i, Map<Integer, Long> registered, boolean registrationsKnown) {
            // Word and owner from one 64-bit read: the owner is the one that claimed this word (layout version 2).
            long owned = region.ownedStateVolatile(i);
            int word = wordOf(owned);
            int state = state(word);
            int ownerIndex = ownerOf(owned);
            long ownerPid = region.longField(i, OWNER_PID_OFFSET);
            boolean ownerAlive = state != FREE
                    && ownerIndex >= 0
                    && (registrationsKnown
                            ? registered.containsKey(ownerIndex)
                            : ProcessHandle.of(ownerPid).isPresent());
            int routeLength = region.intField(i, ROUTE_LENGTH_OFFSET);
            String route = state == FREE || routeLength <= 0 || routeLength > ROUTE_CAPACITY
                    ? ""
                    : new String(
                            region.routeArea(i).asSlice(0, routeLength).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
            long deadline = region.longField(i, DEADLINE_OFFSET);
            int timeoutMillis = region.intField(i, TIMEOUT_MILLIS_OFFSET);
            // deadline - timeout is when the client wrote the request (both from its one wall-clock reading); an
            // older client leaves the field 0 (age unknown), a negative age means a clock step or a stale value.
            Instant submittedAt = state == FREE || deadline <= 0 || timeoutMillis <= TIMEOUT_UNKNOWN
                    ? null
                    : Instant.ofEpochMilli(deadline - timeoutMillis);
            Instant now = Instant.now();
            if (submittedAt != null && submittedAt.isAfter(now)) {
                submittedAt = null;
            }
            return new ShmRegionSnapshot.Slot(
                    i,
                    stateName(state),
                    sequence(word),
                    ownerPid,
                    ownerIndex,
                    ownerAlive,
                    region.longField(i, REQUEST_ID_OFFSET),
                    route,
                    region.longField(i, EPOCH_OFFSET),
                    state == FREE || deadline <= 0 ? null : Instant.ofEpochMilli(deadline),
                    submittedAt,
                    submittedAt == null ? null : Duration.between(submittedAt, now));
        }

        private List<ShmRegionSnapshot.RegionFile> files() {
            List<ShmRegionSnapshot.RegionFile> files = new ArrayList<>();
            addFile(files, paths.region(), "region");
            addFile(files, paths.lock(), "lock");
            return files;
        }

        @Override
        public void close() {
            mapping.close();
        }
    }

    private static void addFile(List<ShmRegionSnapshot.RegionFile> files, Path path, String kind) {
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission permission : attributes.permissions()) {
                mode |= 1 << (8 - permission.ordinal());
            }
            files.add(new ShmRegionSnapshot.RegionFile(
                    path,
                    kind,
                    attributes.owner().getName(),
                    attributes.group().getName(),
                    String.format("%04o", mode),
                    attributes.size(),
                    attributes.lastModifiedTime().toInstant()));
        } catch (IOException | UnsupportedOperationException e) {
            // missing (a lock file a killed server's successor removed) or not POSIX: not listed
        }
    }
}

package io.shmipc.core;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.internal.Dispatcher;
import io.shmipc.core.internal.Housekeeper;
import io.shmipc.core.internal.NativeAccessCheck;
import io.shmipc.core.internal.RateLimitedLog;
import io.shmipc.core.internal.RegionSignals;
import io.shmipc.core.internal.ServerFaults;
import io.shmipc.core.internal.SlotOwnership;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.FileTrust;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.ProcessIdentity;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.region.ServerLock;
import io.shmipc.core.internal.region.SharedFileChannels;
import io.shmipc.core.internal.signal.Futex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The one server for a name. Opening it takes the single-server lock, creates the region (or takes
 * over one left by a dead server), and starts the dispatch thread that calls the handler.
 *
 * <p>Takeover: a server that finds a region left by a dead server raises the epoch, fails the
 * requests that were being processed with "server restarted; outcome unknown", frees abandoned
 * slots, and serves the requests still queued (REQUEST) whose clients are still waiting: the dead
 * server never started those, so running them now executes each at most once. A region of another
 * geometry is replaced (its clients see it CLOSED and reconnect); one of another magic or layout
 * version is refused with {@link ShmProtocolException}.
 */
public final class ShmServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShmServer.class.getName());
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final long CLOSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RegionPaths paths;
    private final ShmConfig config;
    private final ServerLock lock;
    private final RegionMapper.Mapping mapping;
    private final MappedRegion region;
    private final RegionSignals signals;
    private final long epoch;
    private final Dispatcher dispatcher;
    private final Housekeeper housekeeper;
    private final Thread dispatchThread;
    private final Thread housekeeperThread;
    private final @Nullable ExecutorService workers;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once when the server stopped serving by itself (its region file broke); see {@link #failure()}. */
    private final AtomicReference<@Nullable ShmException> failure = new AtomicReference<>();

    private final RateLimitedLog faultLog = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    private volatile boolean closed;

    private ShmServer(
            RegionPaths paths,
            ShmConfig config,
            ServerLock lock,
            RegionMapper.Mapping mapping,
            ShmRequestHandler handler) {
        this.paths = paths;
        this.config = config;
        this.lock = lock;
        this.mapping = mapping;
        this.region = mapping.region();
        this.signals = new RegionSignals(region, Futex.forPlatform());
        this.epoch = region.epochVolatile();
        int id = THREAD_IDS.incrementAndGet();
        this.workers = config.serverConcurrency() == 1
                ? null
                : Executors.newFixedThreadPool(
                        config.serverConcurrency(),
                        Thread.ofPlatform()
                                .daemon()
                                .name("shmipc-server-" + paths.name() + "-worker-", 0)
                                .factory());
        ServerFaults faults = new Faults();
        this.dispatcher = new Dispatcher(paths.name(), region, signals, handler, config, workers, faults);
        this.housekeeper =
                new Housekeeper(paths.name(), region, signals, mapping.channel(), dispatcher, config, faults);
        this.dispatchThread = Thread.ofPlatform()
                .daemon()
                .name("shmipc-server-" + paths.name() + "-" + id)
                .unstarted(dispatcher);
        this.housekeeperThread = Thread.ofPlatform()
                .daemon()
                .name("shmipc-liveness-" + paths.name() + "-" + id)
                .unstarted(housekeeper);
    }

    /**
     * Starts a server.
     *
     * @param name the shmipc name: {@code [A-Za-z0-9._-]}, at most 100 characters, not starting with a dot
     * @param config settings; geometry and file mode come from here
     * @param handler serves every request
     * @return the running server
     * @throws ShmServerAlreadyRunningException when another server holds the name
     * @throws ShmProtocolException when a region of another magic or layout version is in the way
     * @throws ShmException when the region cannot be created (the message says why)
     * @throws IllegalArgumentException when the name is invalid
     */
    public static ShmServer start(String name, ShmConfig config, ShmRequestHandler handler) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        RegionPaths paths = RegionPaths.of(config.directory(), name);
        NativeAccessCheck.warnOnce();
        ServerLock lock = ServerLock.acquire(paths, config.fileMode());
        RegionMapper.Mapping mapping = null;
        try {
            RegionMapper.deleteLeftoverTemporaries(paths);
            mapping = openOrCreate(paths, config);
            ShmServer server = new ShmServer(paths, config, lock, mapping, handler);
            server.dispatchThread.start();
            server.housekeeperThread.start();
            LOG.log(
                    System.Logger.Level.INFO,
                    "shmipc server ''{0}'' serving {1} (epoch {2}, {3} slots of {4} bytes, {5} wait)",
                    name,
                    paths.region(),
                    server.epoch,
                    config.slotCount(),
                    config.slotCapacity(),
                    config.waitMode());
            return server;
        } catch (RuntimeException | Error e) {
            if (mapping != null) {
                mapping.close();
            }
            // We hold the lock, so the file is ours to delete (as in close()): a failed start leaves nothing behind.
            lock.releaseAndDelete();
            throw e;
        }
    }

    private static RegionMapper.Mapping openOrCreate(RegionPaths paths, ShmConfig config) {
        ProcessIdentity self = ProcessIdentity.self();
        RegionMapper.Mapping existing;
        try {
            existing = RegionMapper.open(paths.region());
        } catch (NoSuchFileException e) {
            return RegionMapper.create(paths, config, region -> announce(region, self, 1, config));
        } catch (IOException e) {
            throw new ShmException("cannot open existing shmipc region " + paths.region() + ": " + e, e);
        }
        if (!FileTrust.ownedBySelf(existing.channel())) {
            return replaceForeignRegion(paths, config, existing, self);
        }
        if (!FileTrust.modeWithin(existing.channel(), config.fileMode())) {
            // Ours but wider open than configured (an earlier run with another file mode): narrow it first.
            try {
                Files.setPosixFilePermissions(paths.region(), SharedFileChannels.permissionSet(config.fileMode()));
            } catch (IOException e) {
                existing.close();
                throw new ShmException(
                        "cannot set the mode of " + paths.region() + " to 0" + Integer.toOctalString(config.fileMode())
                                + ": " + e,
                        e);
            }
        }
        refuseIfServedByALiveServer(paths, existing);
        MappedRegion old = existing.region();
        if (old.slotCount() != config.slotCount() || old.slotCapacity() != config.slotCapacity()) {
            // Clients of the old geometry see CLOSED, drop their mapping and reconnect to the new file.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "shmipc server ''{0}'': replacing region {1} of {2} slots x {3} bytes with {4} x {5} as configured",
                    paths.name(),
                    paths.region(),
                    old.slotCount(),
                    old.slotCapacity(),
                    config.slotCount(),
                    config.slotCapacity());
            long nextEpoch = old.epochVolatile() + 1;
            old.serverStateVolatile(RegionDescriptor.SERVER_CLOSED);
            new RegionSignals(old, Futex.forPlatform()).wakeEveryone();
            existing.close();
            return RegionMapper.create(paths, config, region -> announce(region, self, nextEpoch, config));
        }
        takeOver(paths.name(), existing, self, config);
        return existing;
    }

    /**
     * A region at our path that another user owns may have been planted to read our requests. We hold
     * the lock, so no server of ours uses it: it is replaced by a fresh region of our own (epoch 1), or,
     * where we may not replace it (a sticky directory and we are not root), refused with what to do.
     */
    private static RegionMapper.Mapping replaceForeignRegion(
            RegionPaths paths, ShmConfig config, RegionMapper.Mapping existing, ProcessIdentity self) {
        String refusal = FileTrust.foreignFileMessage("region file", paths.region(), existing.channel());
        existing.close();
        LOG.log(
                System.Logger.Level.WARNING,
                "shmipc server ''{0}'': replacing {1}, which another user owns, with a region of its own",
                paths.name(),
                paths.region());
        try {
            return RegionMapper.create(paths, config, region -> announce(region, self, 1, config));
        } catch (ShmException e) {
            throw new ShmException(refusal, e);
        }
    }

    /**
     * We hold the lock, yet the region may still be served: its lock file was deleted under a live
     * server (an operator cleaning "stale" files, systemd's RemoveIPC), and ours is a new file. Taking
     * over would fail that server's in-flight requests and leave two servers fighting over one region,
     * so a region whose recorded server is RUNNING or DRAINING and alive is refused. Alive: the OS shows
     * its pid with the recorded start token (running or stopped), or, where the pid cannot be checked,
     * its heartbeat moves within two of its periods. (That server re-creates its lock file itself.)
     */
    private static void refuseIfServedByALiveServer(RegionPaths paths, RegionMapper.Mapping existing) {
        MappedRegion old = existing.region();
        int state = old.serverStateVolatile();
        if (state != RegionDescriptor.SERVER_RUNNING && state != RegionDescriptor.SERVER_DRAINING) {
            return;
        }
        ProcessIdentity recorded =
                new ProcessIdentity(old.serverPid(), old.serverStartToken(), old.serverPidNamespace());
        ProcessIdentity.Verdict verdict = ProcessIdentity.probe(recorded);
        boolean alive = verdict == ProcessIdentity.Verdict.ALIVE
                || verdict == ProcessIdentity.Verdict.STOPPED
                || (verdict == ProcessIdentity.Verdict.UNKNOWN && heartbeatMoves(old));
        if (alive) {
            existing.close();
            throw new ShmServerAlreadyRunningException(
                    paths.name(),
                    recorded.pid(),
                    paths.region() + " (its lock file " + paths.lock()
                            + " was deleted while it runs; it re-creates it by itself)");
        }
    }

    /** @return true when the region's heartbeat changes within two of its server's periods */
    private static boolean heartbeatMoves(MappedRegion region) {
        long period = Math.clamp(
                region.serverLivenessIntervalNanos(), TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(10));
        long first = region.heartbeatVolatile();
        long deadline = System.nanoTime() + 2 * period + period / 2;
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(period / 4);
            if (region.heartbeatVolatile() != first) {
                return true;
            }
        }
        return false;
    }

    /** Recovers a region whose server died; see the class comment for what happens to each slot. */
    private static void takeOver(String name, RegionMapper.Mapping mapping, ProcessIdentity self, ShmConfig config) {
        MappedRegion region = mapping.region();
        RegionSignals signals = new RegionSignals(region, Futex.forPlatform());
        int failed = 0;
        int queued = 0;
        for (int slot = 0; slot < region.slotCount(); slot++) {
            int word = region.stateWordVolatile(slot);
            int state = state(word);
            if (state == PROCESSING) {
                region.intField(slot, STATUS_OFFSET, STATUS_SERVER_RESTARTED);
                region.intField(slot, PAYLOAD_LENGTH_OFFSET, 0);
                if (region.casStateWord(slot, word, withState(word, RESPONSE))) {
                    failed++;
                }
            } else if (state == ABANDONED || !isValidState(state)) {
                SlotOwnership.free(region, slot, word);
            } else if (state == REQUEST) {
                queued++;
            }
        }
        region.serverSleepingVolatile(0);
        long epoch = region.epochVolatile() + 1;
        announce(region, self, epoch, config);
        signals.wakeEveryone();
        LOG.log(
                System.Logger.Level.WARNING,
                "shmipc server ''{0}'' took over {1} from a dead server: epoch {2}, "
                        + "{3} in-flight requests failed as outcome unknown, {4} queued requests will be served",
                name,
                mapping.channel().path(),
                epoch,
                failed,
                queued);
    }

    /** Writes this server's identity and epoch, then RUNNING: the volatile state store publishes the rest. */
    private static void announce(MappedRegion region, ProcessIdentity self, long epoch, ShmConfig config) {
        region.serverIdentity(
                self.pid(),
                self.startToken(),
                self.pidNamespace(),
                config.livenessInterval().toNanos());
        region.epochVolatile(epoch);
        region.heartbeatRelease(region.heartbeatVolatile() + 1);
        region.serverStateVolatile(RegionDescriptor.SERVER_RUNNING);
    }

    /** @return the shmipc name */
    public String name() {
        return paths.name();
    }

    /** @return the region file */
    public Path path() {
        return paths.region();
    }

    /** @return this server's epoch: the number of server starts on this region, this one included */
    public long epoch() {
        return epoch;
    }

    /** @return true from start until close begins or the server stops serving by itself ({@link #failure()}) */
    public boolean isRunning() {
        return !closing.get() && failure.get() == null;
    }

    /**
     * Why this server stopped serving by itself, if it did: its region file was truncated, deleted or
     * replaced under it. It then released its lock (so a restarted or another instance can take the name),
     * marked the region CLOSED where it could, and logged the cause at ERROR; {@link #info()} reports
     * state {@code FAILED}. Close it and start a new server.
     *
     * @return the failure, or empty while the server serves (or was closed normally)
     */
    public Optional<ShmException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** @return the configuration this server runs with */
    public ShmConfig config() {
        return config;
    }

    /** @return a snapshot of the region header and slot usage; after close, a CLOSED snapshot with no slots in use */
    public ShmRegionInfo info() {
        if (closed || failure.get() != null) {
            // No look at the region: after a failure its mapping may fault.
            return new ShmRegionInfo(
                    name(),
                    path(),
                    failure.get() != null ? "FAILED" : "CLOSED",
                    ProcessHandle.current().pid(),
                    epoch,
                    config.slotCount(),
                    config.slotCapacity(),
                    0);
        }
        return new ShmRegionInfo(
                name(),
                path(),
                RegionDescriptor.serverStateName(region.serverStateVolatile()),
                region.serverPid(),
                region.epochVolatile(),
                region.slotCount(),
                region.slotCapacity(),
                region.slotsInUse());
    }

    /**
     * Stops gracefully: refuses new requests at once, lets in-flight ones finish within {@code grace},
     * fails what is left, wakes every waiter, deletes the region and lock files and ends its threads.
     * Idempotent; a second call waits for nothing.
     *
     * @param grace how long in-flight requests may take to finish
     */
    public void close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (failure.get() != null) {
            closeAfterFailure();
            return;
        }
        try {
            housekeeper.expectState(RegionDescriptor.SERVER_DRAINING);
            region.serverStateVolatile(RegionDescriptor.SERVER_DRAINING);
            long deadline = System.nanoTime() + grace.toNanos();
            while (hasUnfinishedRequests() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(CLOSE_POLL_NANOS);
            }
            housekeeper.stop();
            join(housekeeperThread);
            region.serverStateVolatile(RegionDescriptor.SERVER_CLOSED);
            dispatcher.stop();
            join(dispatchThread);
            stopWorkers();
            failQueuedRequests();
            signals.wakeEveryone();
            closed = true;
            deleteRegionFile();
        } finally {
            // Whatever failed above, the threads are told to stop and the lock is released: a lock kept by
            // a half-closed server would refuse every other server of this name for the life of this JVM.
            housekeeper.stop();
            dispatcher.halt();
            closed = true;
            unmap();
            lock.releaseAndDelete();
        }
        LOG.log(System.Logger.Level.INFO, "shmipc server ''{0}'' stopped", name());
    }

    private void closeAfterFailure() {
        try {
            join(housekeeperThread);
            join(dispatchThread);
            stopWorkers();
        } finally {
            closed = true;
            unmap();
            lock.releaseAndDelete();
        }
    }

    /**
     * Unmaps, unless a thread still uses the mapping: a handler past the grace period, or one whose
     * payload buffer is inside an NIO call, keeps it acquired and the unmap throws. The mapping then
     * stays until the process exits; nothing else is held back by it.
     */
    private void unmap() {
        try {
            mapping.close();
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "shmipc server ''{0}'': could not unmap {1} ({2}); a handler still uses its memory, so the "
                            + "mapping stays until the process exits",
                    name(),
                    paths.region(),
                    e.toString());
        }
    }

    private void stopWorkers() {
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(
                    Math.max(1000, config.livenessInterval().toMillis() * 2), TimeUnit.MILLISECONDS)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "shmipc server ''{0}'': handlers still running after the grace period; their replies are dropped",
                        name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops serving because the region file broke under the server. Runs on a server thread; never
     * throws. The region is marked CLOSED and everyone woken where the mapping still works, so clients
     * reconnect; a truncated file is deleted (it is ours and useless), and the lock is released so
     * that a restarted or another instance can take the name.
     */
    private void fail(String problem, @Nullable Throwable cause) {
        ShmException failed = new ShmException(
                "shmipc server '" + name() + "' stopped serving: " + problem
                        + ". It released its lock so that a restarted or another instance can take over; close this"
                        + " server and start a new one (is something deleting or truncating files in "
                        + paths.directory() + "?)",
                cause);
        if (!failure.compareAndSet(null, failed)) {
            return;
        }
        LOG.log(System.Logger.Level.ERROR, failed.getMessage(), cause);
        dispatcher.halt();
        housekeeper.stop();
        try {
            boolean ours = mapping.channel().isStillAt(paths.region());
            if (ours && regionSizeOk()) {
                region.serverStateVolatile(RegionDescriptor.SERVER_CLOSED);
                signals.wakeEveryone();
            }
            if (ours) {
                Files.deleteIfExists(paths.region());
            }
        } catch (Throwable e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "shmipc server ''{0}'': cleaning up after the failure: {1}",
                    name(),
                    e);
        } finally {
            lock.releaseAndDelete();
        }
    }

    /** @return null while the region file is intact and ours; else what is wrong with it */
    private @Nullable String regionProblem() {
        if (!mapping.channel().isStillAt(paths.region())) {
            return "its region file " + paths.region() + " was deleted or replaced by another file";
        }
        if (!regionSizeOk()) {
            return "its region file " + paths.region() + " was truncated (it must be "
                    + RegionDescriptor.regionSize(region.slotCount(), region.slotCapacity()) + " bytes)";
        }
        return null;
    }

    private boolean regionSizeOk() {
        try {
            return mapping.channel().channel().size()
                    >= RegionDescriptor.regionSize(region.slotCount(), region.slotCapacity());
        } catch (IOException e) {
            return false;
        }
    }

    /** How the server's threads report trouble instead of dying (see {@link ServerFaults}). */
    private final class Faults implements ServerFaults {
        @Override
        public void threadFailed(String thread, Throwable cause) {
            try {
                String problem = regionProblem();
                if (problem != null) {
                    fail(problem, cause);
                } else if (isRunning()) {
                    faultLog.warn("shmipc server '" + name() + "': the " + thread + " thread caught " + cause
                            + "; it carries on");
                }
            } catch (Throwable ignored) {
                // reporting must never kill the reporting thread
            }
        }

        @Override
        public boolean filesIntact() {
            String problem = regionProblem();
            if (problem != null) {
                fail(problem, null);
                return false;
            }
            if (!lock.isHeldAtPath()) {
                String why = lock.ensureHeldAtPath();
                if (why == null) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "shmipc server ''{0}'': its lock file {1} was deleted while it ran; re-created and locked it",
                            name(),
                            paths.lock());
                } else {
                    faultLog.warn("shmipc server '" + name() + "': " + why + "; keeps serving and retries");
                }
            }
            return true;
        }
    }

    /** Stops gracefully with {@link ShmConfig#shutdownGrace()}. */
    @Override
    public void close() {
        close(config.shutdownGrace());
    }

    private boolean hasUnfinishedRequests() {
        for (int slot = 0; slot < region.slotCount(); slot++) {
            int state = state(region.stateWordVolatile(slot));
            if (state == REQUEST || state == PROCESSING && dispatcher.isServing(slot)) {
                return true;
            }
        }
        return false;
    }

    /** Requests published too late to be served are answered "server closing": they did not run. */
    private void failQueuedRequests() {
        for (int slot = 0; slot < region.slotCount(); slot++) {
            int word = region.stateWordVolatile(slot);
            if (state(word) == REQUEST && region.casStateWord(slot, word, withState(word, PROCESSING))) {
                region.intField(slot, STATUS_OFFSET, STATUS_SERVER_CLOSING);
                region.intField(slot, PAYLOAD_LENGTH_OFFSET, 0);
                if (!region.casStateWord(slot, withState(word, PROCESSING), withState(word, RESPONSE))) {
                    // The client gave up in between (and reports "outcome unknown", which is conservative).
                    SlotOwnership.free(region, slot, withState(word, ABANDONED));
                }
            }
        }
    }

    private void deleteRegionFile() {
        try {
            if (mapping.channel().isStillAt(paths.region())) {
                Files.deleteIfExists(paths.region());
            }
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "shmipc server ''{0}'': could not delete {1}: {2}",
                    name(),
                    paths.region(),
                    e);
        }
    }

    private void join(Thread thread) {
        try {
            thread.join(Math.max(1000, config.livenessInterval().toMillis() * 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "shmipc server ''{0}'': thread {1} did not stop; is a handler stuck?",
                    name(),
                    thread.getName());
        }
    }
}

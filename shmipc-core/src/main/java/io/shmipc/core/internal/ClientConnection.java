package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.RequestWriter;
import io.shmipc.core.ResponseReader;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmException;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.core.WaitMode;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.FileTrust;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.signal.Futex;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One mapping of one region file by a client, and the client side of the slot protocol on it.
 * Reference counted: calls hold it while they run, and the mapping is unmapped only after the last
 * call on a retired connection has finished, so no thread touches unmapped memory.
 */
public final class ClientConnection {

    /**
     * Request ids: a counter from a random 64-bit start. Ids of one process never repeat (2^64 calls),
     * and two processes collide only if their ranges meet, which random starts make as unlikely as a
     * 64-bit guess: so the id check in {@link #readReply} tells replies of different processes apart
     * too (a counter from 1 in every process, as before, made the first ids of all processes equal).
     */
    private static final AtomicLong REQUEST_IDS = new AtomicLong(new SecureRandom().nextLong());

    static final long NONE_FREE = SlotOwnership.NOT_CLAIMED;
    /**
     * How often a caller that must not sleep in the kernel (a virtual thread, an async call) re-scans for
     * a slot that other processes hold: often enough that a freed slot is used within a fraction of a
     * round trip's tail, rarely enough that the scans cost nothing measurable.
     */
    static final long FREE_SLOT_POLL_NANOS = 100_000;
    /**
     * Platform threads normally sleep on their slot's state word themselves (one futex wake per reply,
     * no extra hand-off); with this property set they park behind the {@link ReplyWaiter} like virtual
     * threads do. A measurement knob: docs/PERFORMANCE.md compares the two.
     */
    private static final boolean PARK_PLATFORM_THREADS = Boolean.getBoolean("shmipc.client.park-platform-threads");
    /** Test seam: runs right after a slot is claimed, before the request is written (null in production). */
    private static volatile @Nullable Runnable afterClaimForTesting;
    /**
     * How many calls in a row a thread may take a free slot permit ahead of threads queued for one; the
     * next call queues behind them. Bounds how long a queued thread waits (a thread that called again
     * right after its call always won, and queued threads starved: 1,000 virtual threads on 8 slots saw
     * waits of a second), while most calls still skip the hand-off to a parked thread, which costs a
     * wake-up and a context switch (strict arrival order measured a third of the throughput at 16 threads).
     */
    public static final int MAX_QUEUE_JUMPS = 64;
    /** Per thread: calls in a row that took a permit ahead of queued threads. */
    private static final ThreadLocal<int[]> QUEUE_JUMPS = ThreadLocal.withInitial(() -> new int[1]);

    private static final long PID = ProcessHandle.current().pid();

    private final RegionPaths paths;
    private final RegionMapper.Mapping mapping;
    private final MappedRegion region;
    private final RegionSignals signals;
    private final Futex futex;
    private final ServerLiveness liveness;
    private final int registration;
    /**
     * This process's share of the slots. Fair, so that queued threads get permits in arrival order; a
     * thread that finds a permit free may still take it ahead of them, {@link #MAX_QUEUE_JUMPS} times in
     * a row.
     */
    private final Semaphore slotPermits;

    private final WaitMode waitMode;
    private final long spinNanos;
    private final long sliceNanos;
    /** Marks the mapping unusable (an access faulted: its file was truncated), so the client reconnects. */
    public void markBroken() {
        broken = true;
    }

    /** Set when an access to the mapping faulted (its file was truncated): the connection is unusable. */
    private volatile boolean broken;
    /** Set when the server is gone and the path names another file (or none): the connection is unusable. */
    private volatile boolean superseded;
    /** One for being the client's current connection, plus one per call in progress. */
    private final AtomicInteger users = new AtomicInteger(1);
    /** Sleeps for replies on behalf of parked virtual threads and async calls; has a thread only while needed. */
    private final ReplyWaiter replyWaiter;
    /** Async calls of this connection: queued until a slot frees, then in flight behind the reply waiter. */
    private final AsyncExchanges asyncExchanges;

    private ClientConnection(
            RegionPaths paths, RegionMapper.Mapping mapping, int registration, ShmConfig config, Futex futex) {
        this.paths = paths;
        this.mapping = mapping;
        this.region = mapping.region();
        this.futex = futex;
        this.signals = new RegionSignals(region, futex);
        this.liveness = new ServerLiveness(region, config);
        this.registration = registration;
        this.slotPermits = new Semaphore(region.slotCount(), true);
        this.waitMode = config.waitMode();
        this.spinNanos = config.spinTime().toNanos();
        this.sliceNanos = config.livenessInterval().toNanos();
        this.asyncExchanges = new AsyncExchanges(this, slotPermits, sliceNanos);
        this.replyWaiter = new ReplyWaiter(
                paths.name(),
                region,
                futex,
                mapping.channel(),
                registration,
                config.livenessTimeout().toNanos(),
                asyncExchanges);
        asyncExchanges.waiter(replyWaiter);
    }

    /**
     * Maps the region at the name's path and registers this process as a client.
     *
     * @throws ShmServerUnavailableException when there is no region, or its server is stopped or dead
     * @throws ShmProtocolException when the region has another layout
     */
    public static ClientConnection open(RegionPaths paths, ShmConfig config, Futex futex) {
        RegionMapper.Mapping mapping;
        try {
            mapping = RegionMapper.open(paths.region());
        } catch (NoSuchFileException e) {
            throw new ShmServerUnavailableException(
                    "no shmipc server for name '" + paths.name() + "': region " + paths.region()
                            + " does not exist; start the server first (or check shmipc.name and shmipc.directory)");
        } catch (IOException e) {
            throw new ShmServerUnavailableException(
                    "cannot open shmipc region " + paths.region() + " for name '" + paths.name() + "': " + e
                            + "; check the file's permissions (shmipc.server.file-mode on the server)",
                    e);
        }
        try {
            FileTrust.checkClientMayUse(mapping.channel(), paths.region(), config.fileOwner());
        } catch (RuntimeException e) {
            mapping.close();
            throw e;
        }
        int registration;
        try {
            MappedRegion region = mapping.region();
            registration =
                    mapping.channel().retainRegistration(index -> releaseSlotsOfPreviousHolder(region, index, futex));
        } catch (IOException e) {
            mapping.close();
            throw new ShmServerUnavailableException("cannot register as a client of " + paths.region() + ": " + e, e);
        }
        ClientConnection connection = new ClientConnection(paths, mapping, registration, config, futex);
        try {
            connection.checkAcceptingCalls(System.nanoTime());
        } catch (RuntimeException e) {
            connection.release();
            throw e;
        }
        return connection;
    }

    /**
     * Releases what the previous holder of a registration index left in the slots. It is dead (the OS
     * dropped its lock) or let go (after finishing every call), but the housekeeper may not have passed
     * since: without this, its CLAIMED and RESPONSE slots would look owned by us and never be reclaimed.
     * CLAIMED, REQUEST and RESPONSE are freed (a queued request of a dead process is cancelled: not
     * executed, and nobody is left to tell); PROCESSING is abandoned, so the server frees it when done.
     * Every step is a CAS from the exact word read, so a slot that moved on meanwhile is left alone.
     */
    static void releaseSlotsOfPreviousHolder(MappedRegion region, int index, Futex futex) {
        RegionSignals signals = new RegionSignals(region, futex);
        for (int slot = 0; slot < region.slotCount(); slot++) {
            long owned = region.ownedStateVolatile(slot);
            if (ownerOf(owned) != index) {
                continue;
            }
            int word = wordOf(owned);
            switch (state(word)) {
                case CLAIMED, REQUEST, RESPONSE -> {
                    if (SlotOwnership.free(region, slot, word)) {
                        signals.slotFreed();
                    }
                }
                case PROCESSING -> region.casStateWord(slot, word, withState(word, ABANDONED));
                default -> {
                    // FREE needs nothing; ABANDONED is the server's to free.
                }
            }
        }
    }

    public MappedRegion region() {
        return region;
    }

    /**
     * @return true once the server marked the region CLOSED (its file is gone or replaced), the mapping
     *     faulted, or the server died and its path was given to another file: reconnect
     */
    public boolean isRetired() {
        if (broken || superseded) {
            return true;
        }
        try {
            return region.serverStateVolatile() == RegionDescriptor.SERVER_CLOSED;
        } catch (InternalError e) {
            broken = true;
            return true;
        }
    }

    /** @return the liveness verdict right now, for status reports */
    public boolean isServerAlive() {
        return liveness.isServerProcessAlive(System.nanoTime());
    }

    public boolean retain() {
        for (int current = users.get(); current > 0; current = users.get()) {
            if (users.compareAndSet(current, current + 1)) {
                return true;
            }
        }
        return false;
    }

    public void release() {
        if (users.decrementAndGet() == 0) {
            // No call is in progress, so nothing is registered with the reply waiter; stop its thread
            // before unmapping (or let it unmap as it leaves, when this is that thread).
            replyWaiter.close(() -> {
                mapping.channel().releaseRegistration();
                mapping.close();
            });
        }
    }

    /** @throws ShmServerUnavailableException unless a live server is RUNNING and accepting calls */
    public void checkAcceptingCalls(long now) {
        int state;
        try {
            state = region.serverStateVolatile();
        } catch (InternalError e) {
            broken = true;
            throw new ShmServerUnavailableException("the shmipc region " + paths.region() + " of '" + paths.name()
                    + "' can no longer be accessed (was the file truncated?); the request was not sent");
        }
        if (state != RegionDescriptor.SERVER_RUNNING) {
            throwIfSuperseded();
            throw new ShmServerUnavailableException("shmipc server for name '" + paths.name() + "' is "
                    + (state == RegionDescriptor.SERVER_DRAINING ? "shutting down" : "stopped")
                    + " (region " + paths.region() + "); the request was not sent");
        }
        if (!liveness.isServerProcessAlive(now)) {
            throwIfSuperseded();
            throw new ShmServerUnavailableException("shmipc server for name '" + paths.name() + "' (pid "
                    + region.serverPid() + ") is not alive (region " + paths.region()
                    + "); the request was not sent. Start a server; this client reconnects by itself");
        }
    }

    /**
     * A server that dies (or stops without marking its region CLOSED) leaves its region in place, and a
     * server that takes over reuses that file, which this mapping sees. But when the files were removed after
     * the death and a new server created fresh ones, this mapping is of an unlinked file nobody serves: only
     * the path tells. Checked on the failure paths only (a stat), so calls to a live server pay nothing.
     *
     * @throws RegionReplacedException when the path no longer names the mapped file
     */
    private void throwIfSuperseded() {
        if (!mapping.channel().isStillAt(paths.region())) {
            superseded = true;
            throw new RegionReplacedException(paths.name(), paths.region());
        }
    }

    /**
     * Runs one request/response exchange on the calling thread.
     *
     * @throws ShmPayloadTooLargeException when the call's known size exceeds the slot capacity (nothing is sent)
     */
    public <T> T exchange(OutgoingCall<T> call) {
        if (call.knownSize() > region.slotCapacity()) {
            throw new ShmPayloadTooLargeException("request", call.knownSize(), region.slotCapacity());
        }
        checkAcceptingCalls(System.nanoTime());
        acquirePermit(call.deadline(), call.timeout());
        try {
            long claim = claim(call.deadline(), call.timeout());
            int slot = (int) (claim >>> 32);
            int claimed = (int) claim;
            long requestId = nextRequestId();
            int request = prepare(slot, claimed, requestId, call);
            if (!publish(slot, claimed, request)) {
                throw slotTaken(slot);
            }
            return awaitReply(call.route(), slot, request, requestId, call.reader(), call.deadline(), call.timeout());
        } finally {
            slotPermits.release();
            asyncExchanges.drainIfQueued();
        }
    }

    /**
     * Starts one request/response exchange without waiting for it: the returned future completes
     * when the reply is read (on the connection's reply thread), or fails with the same exceptions
     * {@link #exchange} throws. The call takes over one {@link #retain()} of the caller's, and
     * releases it when it finishes. With all of this process's slots in use the call queues, in
     * memory, until one frees: no thread waits for it. Its writer runs when the call gets a slot,
     * possibly later and on another thread; its reader runs on the reply thread and must not block.
     *
     * @throws RegionReplacedException when the path names another file now: nothing was sent, and the call
     *     did not take over the caller's retain
     */
    public <T> java.util.concurrent.CompletableFuture<T> exchangeAsync(OutgoingCall<T> call) {
        return asyncExchanges.submit(new AsyncExchanges.Call<>(call));
    }

    /**
     * The one "prepare slot" step of blocking and async calls: writes the request into a slot this call
     * claimed. Nothing is published yet, so on any failure the slot is freed and the failure rethrown
     * (nothing was sent).
     *
     * @param claimed the CLAIMED state word the claim returned
     * @return the REQUEST state word to publish with {@link #publish}
     */
    int prepare(int slot, int claimed, long requestId, OutgoingCall<?> call) {
        Runnable hook = afterClaimForTesting;
        try {
            if (hook != null) {
                hook.run();
            }
            fill(slot, requestId, call.routeBytes(), call.headers(), call.writer(), call.deadline());
        } catch (RuntimeException | Error e) {
            free(slot, claimed);
            throw e;
        }
        return withState(claimed, REQUEST);
    }

    /** @return the slot capacity, for async callers' size check */
    int slotCapacity() {
        return region.slotCapacity();
    }

    ServerLiveness liveness() {
        return liveness;
    }

    /** @return a new request id, unique in this process */
    static long nextRequestId() {
        return REQUEST_IDS.incrementAndGet();
    }

    /**
     * Publishes a filled, CLAIMED slot as REQUEST and rings the server's doorbell.
     *
     * @return false when the slot was taken from us while we wrote it (the request was not sent)
     */
    boolean publish(int slot, int claimed, int request) {
        // Volatile CAS: publishes every field written before it, the client-waiting word included.
        if (!region.casStateWord(slot, claimed, request)) {
            return false;
        }
        signals.ringDoorbell();
        return true;
    }

    /** @return a protocol error for a slot taken from a call while it wrote its request */
    ShmProtocolException slotTaken(int slot) {
        return new ShmProtocolException("slot " + slot + " of " + paths.region()
                + " was taken from this call while it wrote its request (found "
                + describe(region.stateWordVolatile(slot)) + "); the request was not sent");
    }

    /** @return the error for a slot that left this exchange's states in an unexpected way */
    ShmProtocolException slotChanged(int slot, int request, int word) {
        return new ShmProtocolException("slot " + slot + " of " + paths.region() + " changed under this call: expected "
                + describe(request) + " or later, found " + describe(word) + "; the outcome is unknown");
    }

    /** Clears a slot's client-waiting word; only while this call still owns the slot. */
    void clearWaiting(int slot) {
        region.clientWaitingVolatile(slot, NOT_WAITING);
    }

    /** Sets a slot's client-waiting word, before the slot's REQUEST is published. */
    void setWaiting(int slot, int waiting) {
        region.clientWaitingVolatile(slot, waiting);
    }

    /** @return the slot index to start claiming from, per calling thread */
    int claimStart() {
        int slots = region.slotCount();
        return (int) (((Thread.currentThread().threadId() + PID) * 0x9E3779B97F4A7C15L) >>> 33) % slots;
    }

    private void acquirePermit(long deadline, Duration timeout) {
        int[] jumps = QUEUE_JUMPS.get();
        boolean othersQueued = slotPermits.hasQueuedThreads();
        // The untimed tryAcquire takes a free permit even past queued threads (on a fair semaphore too).
        if ((!othersQueued || jumps[0] < MAX_QUEUE_JUMPS) && slotPermits.tryAcquire()) {
            jumps[0] = othersQueued ? jumps[0] + 1 : 0;
            return;
        }
        jumps[0] = 0;
        try {
            // The timed one honours the queue.
            if (!slotPermits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ShmTimeoutException(
                        "timed out after " + timeout + " waiting for one of the " + region.slotCount() + " slots of '"
                                + paths.name() + "': this process's other calls held them all; nothing was sent",
                        false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShmException(
                    "interrupted while waiting for a free slot of '" + paths.name() + "'; nothing was sent", e);
        }
    }

    /** @return slot index in the high half, the CLAIMED state word in the low half */
    private long claim(long deadline, Duration timeout) {
        int slots = region.slotCount();
        // Start from a per-thread position so that threads do not all contend on slot 0.
        int start = claimStart();
        while (true) {
            int freeSequence = region.freeSequenceVolatile();
            long claimed = tryClaim(start);
            if (claimed != NONE_FREE) {
                return claimed;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new ShmTimeoutException(
                        "timed out after " + timeout + ": all " + slots + " slots of '" + paths.name()
                                + "' stayed busy; nothing was sent. Raise shmipc.server.slots on the server if this persists",
                        false);
            }
            checkAcceptingCalls(now);
            if (Thread.currentThread().isVirtual()) {
                // A futex wait is a native call: a virtual thread inside it would hold its carrier for the
                // whole slice. It polls instead, parked between scans: the slots are held by other
                // processes (this process's own calls are queued by the permits), so this is rare, and its
                // cost is one scan per FREE_SLOT_POLL_NANOS, the same rule async calls follow. It does not
                // count itself as a free-slot waiter, so freeing processes make no syscall for it.
                parkForFreeSlot(Math.min(FREE_SLOT_POLL_NANOS, deadline - now));
                continue;
            }
            // Count ourselves as a waiter, then scan again: the Dekker pair with RegionSignals.slotFreed().
            // A releaser that read no waiters skipped the sequence bump, but its FREE store came before
            // our increment, so this second scan sees that slot; one that read us bumps the sequence,
            // which the re-check (or the futex itself) sees.
            region.addFreeWaiters(1);
            try {
                claimed = tryClaim(start);
                if (claimed != NONE_FREE) {
                    return claimed;
                }
                if (region.freeSequenceVolatile() == freeSequence) {
                    futex.await(
                            region.segment(),
                            RegionDescriptor.FREE_SEQUENCE_OFFSET,
                            freeSequence,
                            Math.min(sliceNanos, deadline - now));
                }
            } finally {
                region.addFreeWaiters(-1);
            }
        }
    }

    /** Parks a virtual thread between scans for a free slot; an interrupt ends the wait (nothing was sent). */
    private void parkForFreeSlot(long nanos) {
        LockSupport.parkNanos(this, nanos);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new ShmException(
                    "interrupted while waiting for a free slot of '" + paths.name() + "'; nothing was sent");
        }
    }

    /** @return slot index in the high half and the CLAIMED word in the low half, or {@link #NONE_FREE} */
    long tryClaim(int start) {
        int slots = region.slotCount();
        for (int k = 0; k < slots; k++) {
            int slot = start + k < slots ? start + k : start + k - slots;
            // The claim names this process as owner in the same atomic step (see SlotOwnership).
            long claimed = SlotOwnership.tryClaim(region, slot, registration);
            if (claimed != NONE_FREE) {
                return ((long) slot << 32) | claimed;
            }
        }
        return NONE_FREE;
    }

    void fill(int slot, long requestId, byte[] route, byte[] headers, RequestWriter writer, long deadline) {
        // Plain writes: the slot is CLAIMED by us (owner set by the claim itself), so only this thread writes
        // it until the REQUEST CAS publishes them; no timer frees a slot whose owner's registration is held.
        // The waiting word too: whatever an earlier owner left there must not make the server ring for us.
        region.intField(slot, CLIENT_WAITING_OFFSET, NOT_WAITING);
        region.longField(slot, OWNER_PID_OFFSET, PID);
        region.longField(slot, REQUEST_ID_OFFSET, requestId);
        region.longField(slot, EPOCH_OFFSET, region.epochVolatile());
        long timeLeftMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime()));
        region.longField(slot, DEADLINE_OFFSET, System.currentTimeMillis() + timeLeftMillis);
        // The time left, not the caller's whole timeout: deadline minus it is this instant, the slot's submission
        // time that tools show as its age (no extra clock read). Too long for the field: written as unknown.
        region.intField(
                slot,
                TIMEOUT_MILLIS_OFFSET,
                timeLeftMillis <= Integer.MAX_VALUE ? (int) timeLeftMillis : TIMEOUT_UNKNOWN);
        writeRoute(slot, route);
        MemorySegment.copy(headers, 0, region.headersArea(slot), ValueLayout.JAVA_BYTE, 0, headers.length);
        region.intField(slot, HEADERS_LENGTH_OFFSET, headers.length);
        region.intField(slot, STATUS_OFFSET, STATUS_OK);
        int length;
        try {
            length = writer.write(region.payloadArea(slot));
        } catch (IndexOutOfBoundsException e) {
            throw new ShmPayloadTooLargeException("request", (long) region.slotCapacity() + 1, region.slotCapacity());
        }
        if (length < 0 || length > region.slotCapacity()) {
            throw new IllegalArgumentException(
                    "the request writer returned length " + length + ", outside 0.." + region.slotCapacity());
        }
        region.intField(slot, PAYLOAD_LENGTH_OFFSET, length);
    }

    /**
     * Writes the route unless the slot already holds it. The route bytes sit on their own cache line,
     * which the server only reads: when a thread calls one route again through the same slot (its claim
     * starts at a per-thread position), comparing leaves that line shared in both caches instead of
     * invalidating the server's copy and making it fetch the same bytes again: one line fewer moving per
     * round trip. Plain reads are enough: the slot is CLAIMED by this call, nobody else may write it, and
     * the REQUEST CAS publishes the route as before. Bytes a scribbler left there are simply rewritten.
     */
    private void writeRoute(int slot, byte[] route) {
        MemorySegment area = region.routeArea(slot);
        boolean held = region.intField(slot, ROUTE_LENGTH_OFFSET) == route.length
                && MemorySegment.mismatch(area, 0, route.length, MemorySegment.ofArray(route), 0, route.length) == -1;
        if (!held) {
            MemorySegment.copy(route, 0, area, ValueLayout.JAVA_BYTE, 0, route.length);
            region.intField(slot, ROUTE_LENGTH_OFFSET, route.length);
        }
    }

    private <T> T awaitReply(
            String route,
            int slot,
            int request,
            long requestId,
            ResponseReader<T> reader,
            long deadline,
            Duration timeout) {
        int response = withState(request, RESPONSE);
        int processing = withState(request, PROCESSING);
        boolean spinning =
                waitMode == WaitMode.SPIN || (waitMode == WaitMode.HYBRID && spinNanos > 0 && SpinBudget.tryAcquire());
        boolean budgeted = spinning && waitMode == WaitMode.HYBRID;
        // A platform thread that found the spin budget used up may wait by yielding instead of sleeping: it
        // then shares the spinner's core, trading places with it at each yield, and its reply costs neither
        // side a futex call. Two threads of one process on two vCPUs: p50 about one thread's, where the
        // futex wake made it up to 7x (docs/PERFORMANCE.md).
        boolean yielding = !spinning
                && waitMode == WaitMode.HYBRID
                && spinNanos > 0
                && !Thread.currentThread().isVirtual()
                && SpinBudget.tryAcquireYield();
        if (yielding) {
            spinning = true;
        }
        // While it spins, a caller also wakes this process's parked callers (see ReplyWaiter.cover).
        boolean covering = spinning && waitMode == WaitMode.HYBRID;
        int bell = covering ? replyWaiter.cover() : 0;
        long spinUntil = waitMode == WaitMode.SPIN ? Long.MAX_VALUE : System.nanoTime() + spinNanos;
        long nextCheck = System.nanoTime() + sliceNanos;
        // Set once this call parks behind the reply waiter instead of sleeping in the kernel itself.
        ReplyWaiter.ParkedCaller parked = null;
        try {
            for (int spins = 1; ; spins++) {
                int word = region.stateWordVolatile(slot);
                if (word == response) {
                    if (parked != null) {
                        // Before the reply is read: reading it frees the slot, and the next owner's word must survive.
                        stopParking(parked);
                        parked = null;
                    }
                    return readReply(route, slot, response, requestId, reader);
                }
                if (word != request && word != processing) {
                    // Not a state this exchange can be in: someone rewrote the slot. Leave it to the server's
                    // housekeeper.
                    throw slotChanged(slot, request, word);
                }
                if (spinning) {
                    if (yielding) {
                        Thread.yield();
                    } else {
                        SpinPause.pause(spins, SpinBudget.yielders() > 0);
                    }
                    if (covering && (yielding || (spins & 0xF) == 0)) {
                        bell = replyWaiter.serveParked(bell);
                    }
                    if ((spins & (yielding ? 0x3F : 0x3FF)) != 0) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (now - spinUntil >= 0 && waitMode != WaitMode.SPIN) {
                        spinning = false;
                        if (budgeted) {
                            SpinBudget.release();
                            budgeted = false;
                        }
                        if (yielding) {
                            SpinBudget.releaseYield();
                            yielding = false;
                        }
                        if (covering) {
                            replyWaiter.uncover();
                            covering = false;
                        }
                    }
                    if (now - nextCheck < 0 && now - deadline < 0) {
                        continue;
                    }
                    nextCheck = now + sliceNanos;
                }
                long now = System.nanoTime();
                boolean timedOut = now - deadline >= 0;
                if (timedOut || !liveness.willAnswer(now)) {
                    if (parked != null) {
                        stopParking(parked);
                        parked = null;
                    }
                    return giveUp(route, slot, request, requestId, reader, timedOut, timeout);
                }
                if (!spinning && parked == null && parksBehindWaiter()) {
                    parked = new ReplyWaiter.ParkedCaller(slot, request, Thread.currentThread());
                    // Register, then name the doorbell in the slot: a ring for this slot then finds the
                    // registration. The store of the waiting word and the re-read of the state word just
                    // below are the caller half of the Dekker pair with RegionSignals.wakeClientIfWaiting.
                    replyWaiter.register(parked);
                    region.clientWaitingVolatile(slot, replyWaiter.waitingWord());
                }
                if (parked != null) {
                    if (region.stateWordVolatile(slot) == word) {
                        LockSupport.parkNanos(this, Math.min(sliceNanos, deadline - now));
                    }
                } else if (!spinning) {
                    // Flag, then re-read: the Dekker pair with RegionSignals.wakeClientIfWaiting.
                    region.clientWaitingVolatile(slot, 1);
                    if (region.stateWordVolatile(slot) == word) {
                        futex.await(
                                region.segment(),
                                region.stateWordOffset(slot),
                                word,
                                Math.min(sliceNanos, deadline - now));
                    }
                    region.clientWaitingVolatile(slot, 0);
                }
            }
        } finally {
            if (budgeted) {
                SpinBudget.release();
            }
            if (yielding) {
                SpinBudget.releaseYield();
            }
            if (covering) {
                replyWaiter.uncover();
            }
            if (parked != null) {
                // An unexpected exception: drop the registration; the waiting word stays, and costs at
                // most a needless ring.
                replyWaiter.unregister(parked);
            }
        }
    }

    /**
     * @return true when this thread waits by parking behind the reply waiter: a virtual thread (a futex
     *         call would hold its carrier), or any thread with {@code shmipc.client.park-platform-threads};
     *         never the waiter's own thread, and only while this process has a reply doorbell
     */
    private boolean parksBehindWaiter() {
        Thread current = Thread.currentThread();
        return (current.isVirtual() || PARK_PLATFORM_THREADS)
                && !replyWaiter.isWaiterThread(current)
                && replyWaiter.hasDoorbell();
    }

    private void stopParking(ReplyWaiter.ParkedCaller parked) {
        region.clientWaitingVolatile(parked.slot, NOT_WAITING);
        replyWaiter.unregister(parked);
    }

    /**
     * Takes the slot back after a timeout or a dead server. REQUEST → FREE means the server never saw
     * the request; PROCESSING → ABANDONED means it may have run, and the server frees the slot when it
     * finishes, dropping the late reply. If the reply won the race, it is delivered.
     */
    <T> T giveUp(
            String route,
            int slot,
            int request,
            long requestId,
            ResponseReader<T> reader,
            boolean timedOut,
            Duration timeout) {
        if (SlotOwnership.free(region, slot, request)) {
            signals.slotFreed();
            throw failure(timedOut, false, timeout);
        }
        int processing = withState(request, PROCESSING);
        if (region.casStateWord(slot, processing, withState(request, ABANDONED))) {
            throw failure(timedOut, true, timeout);
        }
        int word = region.stateWordVolatile(slot);
        if (word == withState(request, RESPONSE)) {
            return readReply(route, slot, word, requestId, reader);
        }
        throw new ShmProtocolException("slot " + slot + " of " + paths.region() + " changed under this call: found "
                + describe(word) + "; the outcome is unknown");
    }

    private ShmException failure(boolean timedOut, boolean outcomeUnknown, Duration timeout) {
        String outcome =
                outcomeUnknown ? "the server had started it, so the outcome is unknown" : "it was not executed";
        if (timedOut) {
            return new ShmTimeoutException(
                    "no reply from shmipc server '" + paths.name() + "' within " + timeout + "; " + outcome,
                    outcomeUnknown);
        }
        return new ShmServerUnavailableException(
                "shmipc server for name '" + paths.name() + "' went away (pid " + region.serverPid() + ", region "
                        + paths.region() + ") while this call waited; " + outcome,
                outcomeUnknown);
    }

    /** @return the error code among a handler-error reply's headers, or null; bad headers only lose the code */
    private @Nullable String replyErrorCode(int slot) {
        int length = region.intField(slot, HEADERS_LENGTH_OFFSET);
        if (length <= 0 || length > HEADERS_CAPACITY) {
            return null;
        }
        try {
            return HeaderCodec.decode(region.headersArea(slot).asSlice(0, length))
                    .get(ERROR_CODE_HEADER);
        } catch (ShmProtocolException e) {
            return null;
        }
    }

    <T> T readReply(String route, int slot, int response, long requestId, ResponseReader<T> reader) {
        try {
            // Plain reads, ordered after the volatile load that saw RESPONSE.
            int status = region.intField(slot, STATUS_OFFSET);
            int length = region.intField(slot, PAYLOAD_LENGTH_OFFSET);
            long replyId = region.longField(slot, REQUEST_ID_OFFSET);
            if (replyId != requestId) {
                throw new ShmProtocolException("slot " + slot + " of " + paths.region() + " holds a reply for request "
                        + replyId + ", not " + requestId + "; another process wrote into the region");
            }
            if (length < 0 || length > region.slotCapacity()) {
                throw new ShmProtocolException("slot " + slot + " of " + paths.region() + " holds a reply length of "
                        + length + ", outside 0.." + region.slotCapacity());
            }
            MemorySegment payload = region.payloadArea(slot).asSlice(0, length);
            return switch (status) {
                case STATUS_OK -> reader.read(payload.asReadOnly(), replyHeaders(slot));
                case STATUS_HANDLER_ERROR -> {
                    String text = new String(payload.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                    int newline = text.indexOf('\n');
                    throw new ShmRemoteException(
                            route,
                            newline < 0 ? text : text.substring(0, newline),
                            newline < 0 ? "" : text.substring(newline + 1),
                            replyErrorCode(slot));
                }
                case STATUS_NO_HANDLER -> throw new ShmNoHandlerException(route);
                case STATUS_PROTOCOL_ERROR ->
                    throw new ShmProtocolException(
                            "the server rejected the request on route '" + route + "' as malformed: "
                                    + new String(payload.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                case STATUS_SERVER_RESTARTED ->
                    throw new ShmServerUnavailableException(
                            "shmipc server for name '" + paths.name()
                                    + "' died while processing this request and a new server took over; the outcome is unknown",
                            true);
                case STATUS_SERVER_CLOSING ->
                    throw new ShmServerUnavailableException("shmipc server for name '" + paths.name()
                            + "' stopped before processing this request; it was not executed");
                case STATUS_REPLY_TOO_LARGE ->
                    throw new ShmPayloadTooLargeException(
                            "reply",
                            length >= Long.BYTES ? payload.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) : -1,
                            region.slotCapacity());
                default ->
                    throw new ShmProtocolException(
                            "slot " + slot + " of " + paths.region() + " holds unknown status " + status);
            };
        } finally {
            free(slot, response);
        }
    }

    /** @return the reply headers of a successful reply; decoded (and allocated) only when the server set some */
    private Map<String, String> replyHeaders(int slot) {
        int length = region.intField(slot, HEADERS_LENGTH_OFFSET);
        if (length == 0) {
            return Map.of();
        }
        if (length < 0 || length > HEADERS_CAPACITY) {
            throw new ShmProtocolException("slot " + slot + " of " + paths.region()
                    + " holds a reply headers length of " + length + ", outside 0.." + HEADERS_CAPACITY);
        }
        return HeaderCodec.decode(region.headersArea(slot).asSlice(0, length));
    }

    /** Gives the slot back; a CAS, so a slot the housekeeper already reclaimed is not freed twice. */
    void free(int slot, int word) {
        if (SlotOwnership.free(region, slot, word)) {
            signals.slotFreed();
        }
    }

    /**
     * Test seam: {@code hook} runs on the calling thread right after each claim, before the request is
     * written, so a test can stall a client at exactly that point. Not for production use.
     *
     * @param hook the hook, or null to remove it
     */
    public static void afterClaimForTesting(@Nullable Runnable hook) {
        afterClaimForTesting = hook;
    }

    private static String describe(int word) {
        return stateName(state(word)) + "#" + sequence(word);
    }
}

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
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.signal.Futex;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One mapping of one region file by a client, and the client side of the slot protocol on it.
 * Reference counted: calls hold it while they run, and the mapping is unmapped only after the last
 * call on a retired connection has finished, so no thread touches unmapped memory.
 */
public final class ClientConnection {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    private static final long NONE_FREE = -1;
    private static final long PID = ProcessHandle.current().pid();

    private final RegionPaths paths;
    private final RegionMapper.Mapping mapping;
    private final MappedRegion region;
    private final RegionSignals signals;
    private final Futex futex;
    private final ServerLiveness liveness;
    private final int registration;
    /** Fair, so that threads of this process queue for slots in arrival order and none starves. */
    private final Semaphore slotPermits;

    private final WaitMode waitMode;
    private final long spinNanos;
    private final long sliceNanos;
    /** One for being the client's current connection, plus one per call in progress. */
    private final AtomicInteger users = new AtomicInteger(1);

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
        int registration;
        try {
            registration = mapping.channel().retainRegistration();
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

    public MappedRegion region() {
        return region;
    }

    /** @return true once the server marked the region CLOSED: its file is gone or replaced, so reconnect */
    public boolean isRetired() {
        return region.serverStateVolatile() == RegionDescriptor.SERVER_CLOSED;
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
            mapping.channel().releaseRegistration();
            mapping.close();
        }
    }

    /** @throws ShmServerUnavailableException unless a live server is RUNNING and accepting calls */
    public void checkAcceptingCalls(long now) {
        int state = region.serverStateVolatile();
        if (state != RegionDescriptor.SERVER_RUNNING) {
            throw new ShmServerUnavailableException("shmipc server for name '" + paths.name() + "' is "
                    + (state == RegionDescriptor.SERVER_DRAINING ? "shutting down" : "stopped")
                    + " (region " + paths.region() + "); the request was not sent");
        }
        if (!liveness.isServerProcessAlive(now)) {
            throw new ShmServerUnavailableException("shmipc server for name '" + paths.name() + "' (pid "
                    + region.serverPid() + ") is not alive (region " + paths.region()
                    + "); the request was not sent. Start a server; this client reconnects by itself");
        }
    }

    /**
     * Runs one request/response exchange.
     *
     * @param knownSize the request size when known in advance (checked before anything is written), else -1
     */
    public <T> T exchange(
            String route,
            byte[] routeBytes,
            byte[] headers,
            RequestWriter writer,
            int knownSize,
            ResponseReader<T> reader,
            long deadline,
            Duration timeout) {
        if (knownSize > region.slotCapacity()) {
            throw new ShmPayloadTooLargeException("request", knownSize, region.slotCapacity());
        }
        checkAcceptingCalls(System.nanoTime());
        acquirePermit(deadline, timeout);
        try {
            long claim = claim(deadline, timeout);
            int slot = (int) (claim >>> 32);
            int word = (int) claim;
            long requestId = REQUEST_IDS.incrementAndGet();
            try {
                fill(slot, requestId, routeBytes, headers, writer, deadline);
            } catch (RuntimeException | Error e) {
                free(slot, word);
                throw e;
            }
            int request = withState(word, REQUEST);
            // Volatile CAS: publishes every field written above before the server can see REQUEST.
            if (!region.casStateWord(slot, word, request)) {
                throw new ShmProtocolException("slot " + slot + " of " + paths.region()
                        + " was taken from this call while it" + " wrote its request (found "
                        + describe(region.stateWordVolatile(slot)) + "); the request was not sent");
            }
            signals.ringDoorbell();
            return awaitReply(route, slot, request, requestId, reader, deadline, timeout);
        } finally {
            slotPermits.release();
        }
    }

    private void acquirePermit(long deadline, Duration timeout) {
        if (slotPermits.tryAcquire()) {
            return;
        }
        try {
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
        int start = (int) (((Thread.currentThread().threadId() + PID) * 0x9E3779B97F4A7C15L) >>> 33) % slots;
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

    /** @return slot index in the high half and the CLAIMED word in the low half, or {@link #NONE_FREE} */
    private long tryClaim(int start) {
        int slots = region.slotCount();
        for (int k = 0; k < slots; k++) {
            int slot = start + k < slots ? start + k : start + k - slots;
            int word = region.stateWordVolatile(slot);
            if (state(word) == FREE) {
                int claimed = nextClaim(word);
                if (region.casStateWord(slot, word, claimed)) {
                    return ((long) slot << 32) | (claimed & 0xFFFF_FFFFL);
                }
            }
        }
        return NONE_FREE;
    }

    private void fill(int slot, long requestId, byte[] route, byte[] headers, RequestWriter writer, long deadline) {
        // Plain writes: the slot is CLAIMED, so only this thread writes it until the REQUEST CAS publishes them.
        region.intField(slot, OWNER_INDEX_OFFSET, registration);
        region.longField(slot, OWNER_PID_OFFSET, PID);
        region.longField(slot, REQUEST_ID_OFFSET, requestId);
        region.longField(slot, EPOCH_OFFSET, region.epochVolatile());
        region.longField(
                slot,
                DEADLINE_OFFSET,
                System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())));
        MemorySegment.copy(route, 0, region.routeArea(slot), ValueLayout.JAVA_BYTE, 0, route.length);
        region.intField(slot, ROUTE_LENGTH_OFFSET, route.length);
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
        long spinUntil = waitMode == WaitMode.SPIN ? Long.MAX_VALUE : System.nanoTime() + spinNanos;
        long nextCheck = System.nanoTime() + sliceNanos;
        try {
            for (int spins = 1; ; spins++) {
                int word = region.stateWordVolatile(slot);
                if (word == response) {
                    return readReply(route, slot, response, requestId, reader);
                }
                if (word != request && word != processing) {
                    // Not a state this exchange can be in: someone rewrote the slot. Leave it to the server's
                    // housekeeper.
                    throw new ShmProtocolException("slot " + slot + " of " + paths.region()
                            + " changed under this call: expected " + describe(request) + " or later, found "
                            + describe(word) + "; the outcome is unknown");
                }
                if (spinning) {
                    SpinPause.pause(spins);
                    if ((spins & 0x3FF) != 0) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (now - spinUntil >= 0 && waitMode != WaitMode.SPIN) {
                        spinning = false;
                        if (budgeted) {
                            SpinBudget.release();
                            budgeted = false;
                        }
                    }
                    if (now - nextCheck < 0 && now - deadline < 0) {
                        continue;
                    }
                    nextCheck = now + sliceNanos;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return giveUp(route, slot, request, requestId, reader, true, timeout);
                }
                if (!liveness.willAnswer(now)) {
                    return giveUp(route, slot, request, requestId, reader, false, timeout);
                }
                if (!spinning) {
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
        }
    }

    /**
     * Takes the slot back after a timeout or a dead server. REQUEST → FREE means the server never saw
     * the request; PROCESSING → ABANDONED means it may have run, and the server frees the slot when it
     * finishes, dropping the late reply. If the reply won the race, it is delivered.
     */
    private <T> T giveUp(
            String route,
            int slot,
            int request,
            long requestId,
            ResponseReader<T> reader,
            boolean timedOut,
            Duration timeout) {
        region.intField(slot, OWNER_INDEX_OFFSET, NO_OWNER);
        if (region.casStateWord(slot, request, withState(request, FREE))) {
            signals.slotFreed();
            throw failure(timedOut, false, timeout);
        }
        int processing = withState(request, PROCESSING);
        if (region.casStateWord(slot, processing, withState(request, ABANDONED))) {
            throw failure(timedOut, true, timeout);
        }
        int word = region.stateWordVolatile(slot);
        if (word == withState(request, RESPONSE)) {
            region.intField(slot, OWNER_INDEX_OFFSET, registration);
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
    private String replyErrorCode(int slot) {
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

    private <T> T readReply(String route, int slot, int response, long requestId, ResponseReader<T> reader) {
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
    private void free(int slot, int word) {
        region.intField(slot, OWNER_INDEX_OFFSET, NO_OWNER);
        if (region.casStateWord(slot, word, withState(word, FREE))) {
            signals.slotFreed();
        }
    }

    private static String describe(int word) {
        return stateName(state(word)) + "#" + sequence(word);
    }
}

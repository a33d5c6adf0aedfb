package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmRequestHandler;
import io.shmipc.core.ShmServer;
import io.shmipc.core.WaitMode;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The server's dispatch loop: finds REQUEST slots, moves them to PROCESSING, runs the handler and
 * publishes the RESPONSE. Waits for the doorbell, which clients ring with every request, in the configured
 * {@link WaitMode} when idle.
 */
public final class Dispatcher implements Runnable {

    private static final System.Logger LOG = System.getLogger(ShmServer.class.getName());
    private static final long FAULT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String name;
    private final MappedRegion region;
    private final RegionSignals signals;
    private final ShmRequestHandler handler;
    private final SlotExchange[] exchanges;
    /** Slots this server is serving; lets the housekeeper tell our PROCESSING slots from stale ones. */
    private final AtomicIntegerArray inFlight;

    private final long spinNanos;
    private final long sliceNanos;
    /** Null when requests run on the dispatch thread (concurrency 1); then workerPermits is null too. */
    private final @Nullable ExecutorService workers;

    private final @Nullable Semaphore workerPermits;
    private final RateLimitedLog protocolLog;
    private final ServerFaults faults;
    private volatile boolean running = true;
    private int cursor;
    /** True once a whole sleep slice passed without a ring: no traffic, so the next idle sleeps without spinning. */
    private boolean quiet;

    public Dispatcher(
            String name,
            MappedRegion region,
            RegionSignals signals,
            ShmRequestHandler handler,
            ShmConfig config,
            @Nullable ExecutorService workers,
            ServerFaults faults) {
        this.name = name;
        this.faults = faults;
        this.region = region;
        this.signals = signals;
        this.handler = handler;
        this.exchanges = new SlotExchange[region.slotCount()];
        for (int slot = 0; slot < exchanges.length; slot++) {
            exchanges[slot] = new SlotExchange(region, slot);
        }
        this.inFlight = new AtomicIntegerArray(region.slotCount());
        this.spinNanos = switch (config.waitMode()) {
            case SPIN -> Long.MAX_VALUE;
            case HYBRID -> config.spinTime().toNanos();
            case BLOCK -> 0;
        };
        // The idle sleep is bounded only so that a lost doorbell (a process zeroed the sleeping flag)
        // costs a bounded delay; close() wakes the dispatcher itself. Each wake-up of an idle thread
        // costs CPU, so the bound is the liveness timeout, not the interval.
        this.sliceNanos = config.livenessTimeout().toNanos();
        this.workers = workers;
        this.workerPermits = workers == null ? null : new Semaphore(config.serverConcurrency());
        this.protocolLog = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    }

    @Override
    public void run() {
        while (running) {
            try {
                // Read the doorbell before scanning: a request published after the scan passed its slot
                // rings the bell afterwards, so the idle wait below sees a changed value and rescans.
                int bell = region.doorbellVolatile();
                if (scan()) {
                    quiet = false;
                } else {
                    idle(bell);
                }
            } catch (Throwable e) {
                // No Throwable ends this thread while the server runs: a dead dispatcher behind a live
                // heartbeat would look healthy to every client and answer none of them.
                if (running) {
                    faults.threadFailed("dispatcher", e);
                    // A fault that repeats (say, a region truncated under us) must not become a busy loop.
                    LockSupport.parkNanos(FAULT_PAUSE_NANOS);
                }
            }
        }
    }

    /**
     * Waits for the doorbell to move off {@code bell}: spins first (hybrid, spin), then sleeps on the
     * futex. The sleeping flag is set with a volatile store and the doorbell re-read with a volatile
     * load, pairing with the client's ring-then-read in {@link RegionSignals#ringDoorbell()}. The
     * sleep is cut into liveness-timeout slices so that a lost wake-up (say, a process zeroed the
     * flag) costs one slice, never a hang. After a slice that ended with no ring the server is idle,
     * and it goes straight back to sleep: spinning again at every slice would be polling.
     */
    private void idle(int bell) {
        if (spinNanos > 0 && !quiet) {
            long start = System.nanoTime();
            for (int spins = 1; running && region.doorbellVolatile() == bell; spins++) {
                SpinPause.pause(spins);
                if ((spins & 0xFF) == 0 && System.nanoTime() - start > spinNanos) {
                    break;
                }
            }
            if (region.doorbellVolatile() != bell || spinNanos == Long.MAX_VALUE) {
                return;
            }
        }
        region.serverSleepingVolatile(1);
        if (running && region.doorbellVolatile() == bell) {
            signals.futex().await(region.segment(), RegionDescriptor.DOORBELL_OFFSET, bell, sliceNanos);
        }
        region.serverSleepingVolatile(0);
        quiet = region.doorbellVolatile() == bell;
    }

    /**
     * Stops the loop and wakes it if it sleeps; serving requests run to their end.
     *
     * <p>The doorbell is rung before the wake: a dispatcher that read {@code running == true} just
     * before this call and is on its way into FUTEX_WAIT with the old doorbell value then finds the
     * word changed and returns at once, instead of sleeping a whole slice that no FUTEX_WAKE will cut
     * short (the wake below may come before it sleeps). The ring is a full-fence read-modify-write
     * after the volatile store of {@code running}, so a dispatcher that misses the store sees the ring.
     */
    public void stop() {
        running = false;
        region.ringDoorbell();
        signals.futex().wake(region.segment(), RegionDescriptor.DOORBELL_OFFSET, 1);
    }

    /** Stops the loop without touching the region (it may be unusable); the thread ends within a sleep slice. */
    public void halt() {
        running = false;
    }

    public boolean isServing(int slot) {
        return inFlight.get(slot) != 0;
    }

    /** @return slots being served right now */
    int inFlightCount() {
        int count = 0;
        for (int slot = 0; slot < inFlight.length(); slot++) {
            count += inFlight.get(slot);
        }
        return count;
    }

    private boolean scan() {
        int slots = region.slotCount();
        boolean found = false;
        // Start one further each pass so a busy low slot cannot starve a high one.
        int start = cursor = cursor + 1 >= slots ? 0 : cursor + 1;
        for (int k = 0; k < slots && running; k++) {
            int slot = start + k < slots ? start + k : start + k - slots;
            int word = region.stateWordVolatile(slot);
            if (state(word) == REQUEST) {
                found |= take(slot, word);
            }
        }
        return found;
    }

    private boolean take(int slot, int word) {
        if (workerPermits != null && !acquireWorker(workerPermits)) {
            return false;
        }
        // Mark before the CAS so the housekeeper never sees our PROCESSING slot as unowned.
        inFlight.set(slot, 1);
        int processing = withState(word, PROCESSING);
        if (!region.casStateWord(slot, word, processing)) {
            // The client cancelled (timeout) or something rewrote the word: not ours.
            inFlight.set(slot, 0);
            if (workerPermits != null) {
                workerPermits.release();
            }
            return false;
        }
        ExecutorService pool = workers;
        Semaphore permits = workerPermits;
        if (pool == null || permits == null) {
            serve(slot, processing);
            return true;
        }
        try {
            pool.execute(() -> {
                try {
                    serve(slot, processing);
                } catch (Throwable e) {
                    // serve() completes the slot itself; what escapes it is a fault of the region, not the request.
                    if (running) {
                        faults.threadFailed("worker", e);
                    }
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // The pool is shutting down: the request never reached a handler, so it did not run.
            permits.release();
            complete(slot, processing, STATUS_SERVER_CLOSING, 0);
        }
        return true;
    }

    private boolean acquireWorker(Semaphore permits) {
        try {
            while (running) {
                if (permits.tryAcquire(sliceNanos, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return false;
    }

    /**
     * Loads the request and runs the handler. On the dispatch thread (no fixed worker pool), the handler
     * may move the request to an executor of its choice ({@link ShmRequestHandler#executorFor}); the slot
     * stays PROCESSING and marked in flight until that task completes it, so draining and the housekeeper
     * treat it as any request being served. Every path completes the slot, whatever is thrown.
     */
    private void serve(int slot, int processing) {
        SlotExchange exchange = exchanges[slot];
        String problem;
        int problemLength = 0;
        try {
            problem = exchange.load();
            if (problem != null) {
                protocolLog.warn("shmipc server '" + name + "': slot " + slot + " held a malformed request (" + problem
                        + "); failed it with a protocol error. Is another process writing into the region?");
                problemLength = exchange.writeText(problem);
            }
        } catch (Throwable e) {
            // Reading the request failed (an OutOfMemoryError, a faulting region): the handler never ran.
            complete(slot, processing, STATUS_PROTOCOL_ERROR, 0);
            throw e;
        }
        if (problem != null) {
            complete(slot, processing, STATUS_PROTOCOL_ERROR, problemLength);
            return;
        }
        Executor offload = workers == null ? executorFor(exchange) : null;
        if (offload == null) {
            handle(slot, processing, exchange);
            return;
        }
        try {
            // execute() orders our reads of the slot (load) before the task's: the exchange is handed over whole.
            offload.execute(() -> {
                try {
                    handle(slot, processing, exchange);
                } catch (Throwable e) {
                    // handle() completes the slot itself; what escapes it is a fault of the region (or the server
                    // closed past its grace period and unmapped the region under this handler).
                    if (running) {
                        faults.threadFailed("handler executor", e);
                    }
                }
            });
        } catch (Throwable e) {
            // Rejected (the executor is shutting down with the application) or it could not start a thread:
            // the request did not run.
            complete(slot, processing, STATUS_SERVER_CLOSING, 0);
            if (!(e instanceof RejectedExecutionException) && running) {
                faults.threadFailed("dispatcher", e);
            }
        }
    }

    private @Nullable Executor executorFor(SlotExchange exchange) {
        try {
            return handler.executorFor(exchange);
        } catch (RuntimeException e) {
            protocolLog.warn("shmipc server '" + name + "': choosing an executor failed (" + e
                    + "); running the request on the dispatch thread");
            return null;
        }
    }

    /**
     * Runs the handler and always completes the slot: whatever is thrown, by the handler or while
     * building the error reply (a second OutOfMemoryError, a getMessage() that throws), the finally
     * block publishes a reply and clears the in-flight mark, so no slot stays PROCESSING behind a live
     * server.
     */
    private void handle(int slot, int processing, SlotExchange exchange) {
        int status = STATUS_HANDLER_ERROR;
        int length = 0;
        try {
            try {
                handler.handle(exchange, exchange);
                status = STATUS_OK;
                length = exchange.replyLength();
            } catch (ShmNoHandlerException e) {
                status = STATUS_NO_HANDLER;
                length = 0;
            } catch (Throwable e) {
                if (e instanceof ShmPayloadTooLargeException && exchange.refusedReplySize() >= 0) {
                    // Our own refusal of the reply; one a handler passes on from elsewhere is a handler error.
                    status = STATUS_REPLY_TOO_LARGE;
                    length = exchange.writeLong(exchange.refusedReplySize());
                } else {
                    status = STATUS_HANDLER_ERROR;
                    length = 0;
                    length = writeHandlerError(exchange, e);
                }
            }
        } catch (Throwable e) {
            // Building the reply failed (e.g. OutOfMemoryError): answer with what we have, the type alone.
            status = STATUS_HANDLER_ERROR;
            length = 0;
            if (running) {
                protocolLog.warn("shmipc server '" + name + "': could not build the reply of slot " + slot + ": " + e);
            }
        } finally {
            complete(slot, processing, status, length);
        }
    }

    /** @return the throwable's message, or a note when it is null or getMessage() itself throws */
    private static String messageOf(Throwable e) {
        try {
            String message = e.getMessage();
            return message == null ? "" : message;
        } catch (Throwable second) {
            return "(its message could not be read: " + second.getClass().getName() + ")";
        }
    }

    /**
     * Writes {@code "type\nmessage"} and the reply headers. A {@link ShmRemoteException} travels as the remote
     * error it describes (type, message, error code), so error mappings and handlers relaying a downstream
     * failure control what the client sees.
     */
    private int writeHandlerError(SlotExchange exchange, Throwable e) {
        String type = e.getClass().getName();
        String message = messageOf(e);
        String code = null;
        if (e instanceof ShmRemoteException remote) {
            type = remote.getRemoteType();
            message = remote.getRemoteMessage();
            code = remote.errorCode();
        }
        // Only the error code: reply headers a handler set before failing belong to a reply that never came.
        exchange.headers(Map.of());
        if (code != null) {
            try {
                exchange.headers(Map.of(ERROR_CODE_HEADER, code));
            } catch (IllegalArgumentException tooLong) {
                protocolLog.warn("shmipc server '" + name + "': error code of " + type
                        + " does not fit in the reply headers; sent without it");
            }
        }
        return exchange.writeText(type + "\n" + (message == null ? "" : message));
    }

    private void complete(int slot, int processing, int status, int length) {
        try {
            region.intField(slot, STATUS_OFFSET, status);
            region.intField(slot, PAYLOAD_LENGTH_OFFSET, length);
            // The headers length now describes the reply headers: those a successful handler set, or the error
            // code of a handler error, else 0, so a client never reads its own request headers back as reply
            // headers.
            boolean carriesHeaders = status == STATUS_OK || status == STATUS_HANDLER_ERROR;
            region.intField(slot, HEADERS_LENGTH_OFFSET, carriesHeaders ? exchanges[slot].replyHeadersLength() : 0);
            // The CAS publishes status, length and payload to the client, which reads them after
            // observing RESPONSE with a volatile load.
            if (region.casStateWord(slot, processing, withState(processing, RESPONSE))) {
                signals.wakeClientIfWaiting(slot);
            } else {
                // The client timed out while we worked: the late reply is dropped with the slot.
                if (SlotOwnership.free(region, slot, withState(processing, ABANDONED))) {
                    signals.slotFreed();
                }
            }
        } finally {
            // Cleared even if the region faulted above, so the slot never counts as served by a thread that left it.
            inFlight.set(slot, 0);
        }
    }
}

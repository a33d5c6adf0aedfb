package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The async calls of one {@link ClientConnection}, none of which holds a thread while it waits.
 *
 * <p>A call takes one of the process's slot permits without blocking, claims a free slot, writes its
 * request, names the connection's reply doorbell in the slot's client-waiting word, registers with
 * the {@link ReplyWaiter} and publishes. The waiter thread reads the reply, frees the slot and
 * completes the future. A call that finds no permit (all slots busy with this process's calls)
 * waits in a queue in memory; whoever gives a permit back starts the queued calls. A call that gets
 * a permit but finds every slot taken by other processes goes back to the head of the queue, and the
 * waiter thread retries it every {@value #STARVED_POLL_NANOS} ns: the only polling, and only under
 * contention from other processes.
 *
 * <p>Timeouts: an in-flight call gives up exactly as a blocking call does (REQUEST → FREE, or
 * PROCESSING → ABANDONED), at its deadline or when the server is judged dead; a queued call fails
 * with "nothing was sent" within {@value #QUEUE_SWEEP_NANOS} ns of its deadline.
 */
final class AsyncExchanges implements ReplyWaiter.Owner {

    private static final long STARVED_POLL_NANOS = ClientConnection.FREE_SLOT_POLL_NANOS;
    private static final long QUEUE_SWEEP_NANOS = 10_000_000;

    /** One async call: its parameters, then, once it holds a slot, its registration with the waiter. */
    static final class Call<T> extends ReplyWaiter.Waiting {
        final OutgoingCall<T> outgoing;
        final long deadline;
        final CompletableFuture<T> future = new CompletableFuture<>();
        // Set by submit before the call is used anywhere else.
        @SuppressWarnings("NullAway.Init")
        AsyncExchanges owner;

        long requestId;

        Call(OutgoingCall<T> outgoing) {
            this.outgoing = outgoing;
            this.deadline = outgoing.deadline();
        }

        @Override
        void ready(int word) {
            owner.replied(this, word);
        }

        @Override
        boolean expired(long now, int word) {
            if (word == claimed) {
                // Its submitter is between registering and publishing: giving up now would race the publish.
                return false;
            }
            long left = deadline - now;
            if (left <= 0 || owner.serverGone) {
                return true;
            }
            owner.dueNanos = Math.min(owner.dueNanos, left);
            return false;
        }

        @Override
        void expire(long now) {
            owner.giveUp(this, now - deadline >= 0);
        }
    }

    private final ClientConnection connection;
    private final Semaphore permits;
    private final long sliceNanos;
    private final ConcurrentLinkedDeque<Call<?>> queued = new ConcurrentLinkedDeque<>();
    /** Calls registered with the waiter; lets the waiter thread retire when there are none. */
    private final AtomicInteger inFlight = new AtomicInteger();

    // Set by waiter(..) right after construction (the two refer to each other), before any call.
    @SuppressWarnings("NullAway.Init")
    private ReplyWaiter waiter;
    /** Set by the waiter thread once per slice while calls are in flight; read by {@link Call#expired}. */
    private volatile boolean serverGone;
    /** A queued call found no free slot: the waiter thread retries soon instead of sleeping. */
    private volatile boolean starved;
    // The fields below are touched by the waiter thread only.
    private long nextLivenessCheck;
    private long nextSweep;
    /** Nanoseconds to the earliest deadline of an in-flight call, gathered by {@link Call#expired}. */
    private long dueNanos = Long.MAX_VALUE;

    AsyncExchanges(ClientConnection connection, Semaphore permits, long sliceNanos) {
        this.connection = connection;
        this.permits = permits;
        this.sliceNanos = sliceNanos;
    }

    void waiter(ReplyWaiter waiter) {
        this.waiter = waiter;
    }

    /**
     * Starts a call, or queues it when this process's slots are all in use.
     *
     * @throws RegionReplacedException when the connection's path names another file now; the call did not
     *     take over the caller's hold on the connection
     */
    <T> CompletableFuture<T> submit(Call<T> call) {
        call.owner = this;
        CompletableFuture<T> future = call.future;
        if (call.outgoing.knownSize() > connection.slotCapacity()) {
            finish(
                    call,
                    null,
                    new ShmPayloadTooLargeException("request", call.outgoing.knownSize(), connection.slotCapacity()));
            return future;
        }
        try {
            connection.checkAcceptingCalls(System.nanoTime());
        } catch (RegionReplacedException e) {
            // Nothing was sent and the caller keeps its hold on the connection: it maps the new file and
            // submits again (ShmClient).
            throw e;
        } catch (ShmException e) {
            finish(call, null, e);
            return future;
        }
        if (queued.isEmpty() && permits.tryAcquire()) {
            if (!start(call)) {
                waiter.ensureRunning();
            }
        } else {
            queued.add(call);
            // The waiter thread times queued calls out; then start what the permits allow.
            waiter.ensureRunning();
            drainIfQueued();
        }
        return future;
    }

    /**
     * Starts queued calls while permits are free. Called by everyone who gives a permit back. The
     * queue add and the permit acquire of a submitter, and the permit release and the queue check of a
     * releaser, are all sequentially consistent, so a queued call is never left behind a free permit.
     */
    void drainIfQueued() {
        while (!queued.isEmpty() && permits.tryAcquire()) {
            Call<?> call = queued.poll();
            if (call == null) {
                permits.release();
                return;
            }
            if (System.nanoTime() - call.deadline >= 0) {
                permits.release();
                finish(call, null, notSent(call));
                continue;
            }
            if (!start(call)) {
                return;
            }
        }
    }

    /**
     * Claims a slot for a call that holds a permit, writes and publishes its request.
     *
     * @return false when every slot was taken by other processes: the call is queued again, first
     */
    private boolean start(Call<?> call) {
        long claim = connection.tryClaim(connection.claimStart());
        if (claim == ClientConnection.NONE_FREE) {
            permits.release();
            queued.addFirst(call);
            starved = true;
            waiter.wake();
            return false;
        }
        int slot = (int) (claim >>> 32);
        int claimed = (int) claim;
        call.requestId = ClientConnection.nextRequestId();
        int request;
        try {
            request = connection.prepare(slot, claimed, call.requestId, call.outgoing);
        } catch (RuntimeException | Error e) {
            // prepare() freed the slot: nothing was sent.
            permits.release();
            finish(call, null, e);
            return true;
        }
        call.bind(slot, request);
        inFlight.incrementAndGet();
        waiter.register(call);
        // Written while the slot is CLAIMED, so the REQUEST CAS publishes it: the server that answers
        // this request always sees the doorbell named, and no re-check is needed.
        connection.setWaiting(slot, waiter.waitingWord());
        if (!connection.publish(slot, claimed, request) && waiter.unregister(call)) {
            // Not sent. Unless the waiter thread already saw the slot change and finished the call itself.
            inFlight.decrementAndGet();
            permits.release();
            finish(call, null, connection.slotTaken(slot));
        }
        return true;
    }

    /** Waiter thread: the call's slot left its request states. */
    private <T> void replied(Call<T> call, int word) {
        connection.clearWaiting(call.slot);
        T value = null;
        Throwable failure = null;
        try {
            if (word != withState(call.request, RESPONSE)) {
                throw connection.slotChanged(call.slot, call.request, word);
            }
            value = connection.readReply(
                    call.outgoing.route(), call.slot, word, call.requestId, call.outgoing.reader());
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        done(call, value, failure);
    }

    /** Waiter thread: the call's deadline passed, or its server went away. */
    private <T> void giveUp(Call<T> call, boolean timedOut) {
        connection.clearWaiting(call.slot);
        T value = null;
        Throwable failure = null;
        try {
            OutgoingCall<T> outgoing = call.outgoing;
            value = connection.giveUp(
                    outgoing.route(),
                    call.slot,
                    call.request,
                    call.requestId,
                    outgoing.reader(),
                    timedOut,
                    outgoing.timeout());
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        done(call, value, failure);
    }

    private <T> void done(Call<T> call, @Nullable T value, @Nullable Throwable failure) {
        inFlight.decrementAndGet();
        permits.release();
        drainIfQueued();
        finish(call, value, failure);
    }

    /** Releases the call's hold on the connection, then completes its future (which may run user code). */
    private static <T> void finish(Call<T> call, @Nullable T value, @Nullable Throwable failure) {
        call.owner.connection.release();
        if (failure == null) {
            call.future.complete(value);
        } else {
            call.future.completeExceptionally(failure);
        }
    }

    private ShmException notSent(Call<?> call) {
        if (serverGone) {
            return new ShmServerUnavailableException("shmipc server for this name went away while the call waited for"
                    + " a free slot; it was not sent");
        }
        return new ShmTimeoutException(
                "timed out after " + call.outgoing.timeout() + " waiting for a free slot; nothing was sent", false);
    }

    @Override
    public long housekeep(long now) {
        boolean queue = !queued.isEmpty();
        long due = dueNanos;
        dueNanos = Long.MAX_VALUE;
        if (inFlight.get() == 0 && !queue) {
            serverGone = false;
            return Long.MAX_VALUE;
        }
        if (now - nextLivenessCheck >= 0) {
            serverGone = !connection.liveness().willAnswer(now);
            nextLivenessCheck = now + sliceNanos;
        }
        starved = false;
        drainIfQueued();
        if (queue && (now - nextSweep >= 0 || serverGone)) {
            nextSweep = now + QUEUE_SWEEP_NANOS;
            sweepQueue(now);
        }
        if (starved) {
            return STARVED_POLL_NANOS;
        }
        // In-flight calls are looked at whenever the waiter wakes; bound its sleep so the earliest
        // deadline is met, liveness judged once per slice, and the queue swept on time.
        long next = Math.min(due, nextLivenessCheck - now);
        return Math.max(1, Math.min(next, queued.isEmpty() ? sliceNanos : QUEUE_SWEEP_NANOS));
    }

    /** Fails queued calls that are past their deadline, or all of them when the server is gone. */
    private void sweepQueue(long now) {
        for (Iterator<Call<?>> it = queued.iterator(); it.hasNext(); ) {
            Call<?> call = it.next();
            if ((serverGone || now - call.deadline >= 0) && queued.removeFirstOccurrence(call)) {
                finish(call, null, notSent(call));
            }
        }
    }
}

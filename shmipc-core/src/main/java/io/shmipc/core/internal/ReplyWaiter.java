package io.shmipc.core.internal;

import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.SharedFileChannels;
import io.shmipc.core.internal.signal.Futex;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The one thread of a client connection that sleeps for replies on behalf of callers that do not
 * sleep themselves: parked virtual threads (a virtual thread inside a futex call would hold its
 * carrier) and asynchronous calls (which have no thread at all).
 *
 * <p>How: the connection owns one reply doorbell line in the region header. A caller that stops
 * spinning registers its slot here, then writes {@code WAITING_ON_REPLY_DOORBELL + d} into the slot's
 * client-waiting word and parks with {@link LockSupport}. A server that publishes a RESPONSE reads
 * that word and rings doorbell {@code d} (a full-fence increment), and calls FUTEX_WAKE only when
 * this thread's sleeping flag is set. This thread wakes, looks at every registered slot, and unparks
 * (or completes) those whose slot left its request states. Any number of callers share one sleeper,
 * and a busy waiter thread costs the server no syscall.
 *
 * <p>Memory ordering, for each of the three hand-offs:
 * <ul>
 *   <li>caller / server, on the slot: the caller's volatile store of the waiting word, then volatile
 *       load of the state word; the server's CAS to RESPONSE, then volatile load of the waiting word.
 *       A Dekker pair (see {@link RegionSignals}): either the caller sees RESPONSE and does not park,
 *       or the server sees the doorbell named and rings it. An async call writes the waiting word
 *       before the CAS that publishes its REQUEST, so the server always sees it.</li>
 *   <li>server / this thread, on the doorbell line: the server's full-fence increment, then volatile
 *       load of the sleeping flag; this thread's volatile store of the flag, then volatile load of
 *       the doorbell. Either this thread sees the new value and does not sleep, or the server wakes
 *       it. The futex call re-checks the word atomically in the kernel.</li>
 *   <li>caller / this thread, in this process: the caller's volatile write of its registration comes
 *       before its volatile store of the waiting word; the server's ring comes after it reads that
 *       word; this thread reads the doorbell before it scans the registrations. So a scan prompted by
 *       a ring sees the registration the ring was for.</li>
 * </ul>
 * A lost wake-up is impossible by the above, but every sleep is still cut into slices (parked
 * callers park for at most a liveness interval and re-check themselves), so scribbled shared words
 * cost latency, never a hang.
 *
 * <p>Covered: while a caller of this process spins for its own reply (it holds the spin budget, or
 * waits by yielding), it also serves the parked callers ({@link #cover}, {@link #serveParked},
 * {@link #uncover}): it looks at the registered slots whenever the doorbell moved and unparks the
 * callers whose replies are there. This thread then parks without its sleeping flag, so the
 * server's rings cost it no FUTEX_WAKE; the last spinner to stop wakes it if anything is still
 * registered, and a registration made with no spinner covering wakes it too. Two Dekker pairs
 * (sequentially consistent volatile accesses on both sides) make sure a reply is never left unseen:
 * <ul>
 *   <li>spinner / this thread: the spinner reads the doorbell, then publishes its cover; this
 *       thread reads the cover, then takes its last look at the doorbell before an unflagged park.
 *       A ring this thread missed came after that look, so after the spinner's read: the spinner
 *       sees the doorbell moved.</li>
 *   <li>registration / uncover: the registration counts itself, then reads the cover; the last
 *       spinner drops the cover, then reads the count. One of the two sees the other and wakes this
 *       thread (an extra unpark only costs an extra look).</li>
 * </ul>
 * Async registrations are left to this thread even then (completing a future runs application
 * callbacks, which must not run on a caller's thread inside its own wait): a spinner that sees one
 * ready wakes this thread.
 *
 * <p>Idle: with nothing registered the thread sleeps one idle slice and then ends; the next
 * registration starts a new one. An idle client therefore has no thread, and no thread ever spins.
 */
final class ReplyWaiter {

    /** A registration: something waiting for one slot to leave its REQUEST and PROCESSING states. */
    abstract static class Waiting {
        int slot;
        int claimed;
        int request;
        int processing;

        /**
         * Says which slot and request this waits for; called before {@link #register}, whose volatile
         * write publishes these plain fields to the waiter thread.
         */
        final void bind(int slot, int request) {
            this.slot = slot;
            this.request = request;
            this.claimed = SlotDescriptor.withState(request, SlotDescriptor.CLAIMED);
            this.processing = SlotDescriptor.withState(request, SlotDescriptor.PROCESSING);
        }

        /**
         * @return true while the slot still waits for its reply; CLAIMED counts, because an async call
         *         registers before it publishes its request (so that no ring can come before it)
         */
        final boolean pending(int word) {
            return word == request || word == processing || word == claimed;
        }

        /**
         * Runs on the waiter thread once the slot left its request states, after this registration was
         * removed. Must not block.
         *
         * @param word the state word seen
         */
        abstract void ready(int word);

        /**
         * Asked on the waiter thread at each look at a still-pending registration, so that one without
         * a thread of its own can time out.
         *
         * @param now {@link System#nanoTime()}
         * @param word the slot's state word, still one of the pending ones
         * @return true when it must give up now; {@link #expire} follows once it was removed
         */
        boolean expired(long now, int word) {
            return false;
        }

        /** Gives up after {@link #expired} said so and the registration was removed. */
        void expire(long now) {}
    }

    /** A parked thread: its reply is signalled by unparking it; it checks its own deadline. */
    static final class ParkedCaller extends Waiting {
        private final Thread thread;

        ParkedCaller(int slot, int request, Thread thread) {
            this.thread = thread;
            bind(slot, request);
        }

        @Override
        void ready(int word) {
            LockSupport.unpark(thread);
        }
    }

    /** Callbacks of the connection that owns this waiter. */
    interface Owner {
        /**
         * Called on the waiter thread at every wake-up, after the registrations were served: start
         * queued async calls, time out the old ones.
         *
         * @param now {@link System#nanoTime()}
         * @return nanoseconds until the owner needs to be called again, or {@link Long#MAX_VALUE}
         */
        long housekeep(long now);
    }

    private static final int STILL_PENDING = 1;
    private static final int LEFT_FOR_WAITER_THREAD = 2;
    private static final int NO_DOORBELL = -1;
    private static final int NOT_ALLOCATED = -2;
    private static final long POLL_NANOS = 100_000;
    private static final long PID = ProcessHandle.current().pid();

    private final String name;
    private final MappedRegion region;
    private final Futex futex;
    private final SharedFileChannels.SharedChannel channel;
    private final int registration;
    private final long idleNanos;
    private final Owner owner;
    private final AtomicReferenceArray<Waiting> bySlot;
    /** 0: no waiter thread; 1: one runs (or is about to). */
    private final AtomicInteger running = new AtomicInteger();
    /** How many entries {@link #bySlot} holds; lets a spinning caller skip its scan when there are none. */
    private final AtomicInteger registered = new AtomicInteger();
    /** How many callers of this process spin now and serve parked callers while they do (see {@link #cover}). */
    private final AtomicInteger covering = new AtomicInteger();

    private volatile int doorbell = NOT_ALLOCATED;
    private volatile @Nullable Thread thread;
    private volatile boolean closed;
    private volatile @Nullable Runnable onExit;

    ReplyWaiter(
            String name,
            MappedRegion region,
            Futex futex,
            SharedFileChannels.SharedChannel channel,
            int registration,
            long idleNanos,
            Owner owner) {
        this.name = name;
        this.region = region;
        this.futex = futex;
        this.channel = channel;
        this.registration = registration;
        this.idleNanos = idleNanos;
        this.owner = owner;
        this.bySlot = new AtomicReferenceArray<>(region.slotCount());
    }

    /**
     * @return the value a slot's client-waiting word gets so that the server rings this waiter, or
     *         {@link SlotDescriptor#NOT_WAITING} when no reply doorbell line was free (the waiter then polls)
     */
    int waitingWord() {
        int line = doorbell();
        return line < 0 ? SlotDescriptor.NOT_WAITING : SlotDescriptor.WAITING_ON_REPLY_DOORBELL + line;
    }

    /** @return true when a reply doorbell line is ours, so parked callers are woken promptly */
    boolean hasDoorbell() {
        return doorbell() >= 0;
    }

    /** @return true when {@code thread} is this waiter's own thread, which must never wait on itself */
    boolean isWaiterThread(Thread candidate) {
        return candidate == thread;
    }

    /**
     * Registers a waiting slot and makes sure the waiter thread runs. The caller then publishes the
     * slot's waiting word (after this volatile write).
     */
    void register(Waiting waiting) {
        bySlot.set(waiting.slot, waiting);
        registered.incrementAndGet();
        ensureRunning();
        // The registration's increment, then the look at the cover: the Dekker pair with uncover().
        // With no spinner covering, the waiter thread must not stay in a covered (unflagged) park.
        if (covering.get() == 0) {
            unparkWaiterThread();
        }
    }

    /**
     * Removes a registration if it is still there.
     *
     * @return true when this call removed it; false when the waiter thread took it first (and so runs
     *         its {@link Waiting#ready} or {@link Waiting#expire})
     */
    boolean unregister(Waiting waiting) {
        return take(waiting.slot, waiting);
    }

    private void unparkWaiterThread() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    private boolean take(int slot, Waiting waiting) {
        if (bySlot.compareAndSet(slot, waiting, null)) {
            registered.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Called by a caller that starts spinning for its own reply: while it spins it serves the parked
     * callers of this process ({@link #serveParked}), so the waiter thread need not sleep where the
     * server would have to wake it, and replies to parked callers cost the server no syscall.
     *
     * <p>The doorbell is read before the cover is published. The waiter thread reads the cover
     * before its last look at the doorbell, and only then parks unflagged; so any ring it did not see
     * comes after this read, and the first {@link #serveParked} sees the bell moved.
     *
     * @return the doorbell value to pass to the first {@link #serveParked}
     */
    int cover() {
        int line = doorbell;
        int bell = line >= 0 ? region.replyDoorbellVolatile(line) : 0;
        covering.incrementAndGet();
        return bell;
    }

    /**
     * Ends a {@link #cover()}. The last spinner to leave wakes the waiter thread if anything is still
     * registered, so that it goes back to sleeping where the server wakes it. The decrement, then the
     * look at the registrations: the Dekker pair with {@link #register}.
     */
    void uncover() {
        if (covering.decrementAndGet() == 0 && registered.get() > 0) {
            unparkWaiterThread();
        }
    }

    /**
     * Serves parked callers from a spinning caller's loop: when the doorbell moved since {@code lastBell},
     * unparks the parked callers whose replies are there. Registrations of async calls are left to the
     * waiter thread (their completion runs application callbacks), which is woken for them.
     *
     * @return the doorbell value seen, for the next call
     */
    int serveParked(int lastBell) {
        int line = doorbell;
        if (line < 0 || registered.get() == 0) {
            return lastBell;
        }
        int bell = region.replyDoorbellVolatile(line);
        if (bell == lastBell) {
            return bell;
        }
        if ((serve(0, true) & LEFT_FOR_WAITER_THREAD) != 0) {
            unparkWaiterThread();
        }
        return bell;
    }

    /** Wakes the waiter thread if it sleeps, e.g. after async work was queued for it. */
    void wake() {
        int line = doorbell;
        if (line >= 0) {
            // Same ring as a server's: full-fence increment, then the sleeping flag.
            region.ringReplyDoorbell(line);
            if (region.replyWaiterSleepingVolatile(line) != 0) {
                futex.wake(region.segment(), region.replyDoorbellWordOffset(line), 1);
            }
        } else {
            unparkWaiterThread();
        }
    }

    /** Starts the waiter thread unless one runs. */
    void ensureRunning() {
        if (running.get() == 0 && !closed && running.compareAndSet(0, 1)) {
            start();
        }
    }

    private void start() {
        Thread started =
                Thread.ofPlatform().daemon().name("shmipc-reply-" + name).unstarted(this::run);
        thread = started;
        started.start();
    }

    /**
     * Stops the waiter thread, gives the reply doorbell line back, then runs {@code unmap}. Called by
     * the connection's last user. When that is the waiter thread itself (it completed the last async
     * call), the rest happens as the thread leaves its loop, so the region is never unmapped under it.
     */
    void close(Runnable unmap) {
        closed = true;
        Thread current = thread;
        if (current == Thread.currentThread()) {
            onExit = () -> {
                releaseDoorbell();
                unmap.run();
            };
            return;
        }
        if (current != null) {
            wake();
            boolean interrupted = false;
            while (current.isAlive()) {
                try {
                    current.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        releaseDoorbell();
        unmap.run();
    }

    private int doorbell() {
        int line = doorbell;
        if (line == NOT_ALLOCATED) {
            synchronized (this) {
                line = doorbell;
                if (line == NOT_ALLOCATED) {
                    line = allocateDoorbell();
                    doorbell = line;
                }
            }
        }
        return line;
    }

    /**
     * Takes a free reply doorbell line, or one whose owner process is gone (its registration lock is
     * free). A CAS on the owner word decides between processes racing for a line.
     */
    private int allocateDoorbell() {
        int mine = registration + 1;
        for (int line = 0; line < RegionDescriptor.REPLY_DOORBELL_COUNT; line++) {
            if (region.replyDoorbellOwnerVolatile(line) == 0 && region.casReplyDoorbellOwner(line, 0, mine)) {
                return claimed(line);
            }
        }
        for (int line = 0; line < RegionDescriptor.REPLY_DOORBELL_COUNT; line++) {
            int owner = region.replyDoorbellOwnerVolatile(line);
            // Our own registration index is "held" by us, so lines of this JVM are never taken over.
            if (owner > 0
                    && !channel.isRegistrationHeld(owner - 1)
                    && region.casReplyDoorbellOwner(line, owner, mine)) {
                return claimed(line);
            }
        }
        return NO_DOORBELL;
    }

    private int claimed(int line) {
        region.replyDoorbellOwnerPid(line, PID);
        region.replyWaiterSleepingVolatile(line, 0);
        return line;
    }

    private void releaseDoorbell() {
        int line = doorbell;
        if (line >= 0) {
            region.replyWaiterSleepingVolatile(line, 0);
            region.casReplyDoorbellOwner(line, registration + 1, 0);
        }
    }

    private void run() {
        boolean retired = false;
        try {
            long idleSince = System.nanoTime();
            while (!closed) {
                int line = doorbell();
                // Read the doorbell before looking at the slots: a ring after this read changes it,
                // so the sleep below returns at once and the slot is looked at again.
                int bell = line >= 0 ? region.replyDoorbellVolatile(line) : 0;
                long now = System.nanoTime();
                boolean any = (serve(now, false) & STILL_PENDING) != 0;
                long ownerDue = owner.housekeep(now);
                if (closed) {
                    break;
                }
                if (any || ownerDue != Long.MAX_VALUE) {
                    idleSince = now;
                } else if (now - idleSince >= idleNanos && retire()) {
                    retired = true;
                    return;
                }
                long sleep = Math.min(ownerDue, any ? idleNanos : idleNanos - (now - idleSince));
                sleep(line, bell, Math.max(1, sleep), any);
            }
        } finally {
            if (!retired) {
                // Closed, or failed: a retired thread already handed the flag on (see retire()).
                running.set(0);
            }
            Runnable exit = onExit;
            if (exit != null) {
                exit.run();
            }
        }
    }

    /**
     * Looks at every registration: those whose slot left its request states are removed and made ready;
     * on the waiter thread, pending ones are asked whether they expired. A spinning caller
     * ({@code byCaller}) makes only parked callers ready and leaves the rest to the waiter thread.
     *
     * @return {@link #STILL_PENDING} and {@link #LEFT_FOR_WAITER_THREAD} bits
     */
    private int serve(long now, boolean byCaller) {
        int result = 0;
        for (int slot = 0; slot < bySlot.length(); slot++) {
            Waiting waiting = bySlot.get(slot);
            if (waiting == null) {
                continue;
            }
            int word = region.stateWordVolatile(slot);
            if (!waiting.pending(word)) {
                if (byCaller && !(waiting instanceof ParkedCaller)) {
                    result |= LEFT_FOR_WAITER_THREAD;
                } else if (take(slot, waiting)) {
                    waiting.ready(word);
                }
            } else if (!byCaller && waiting.expired(now, word)) {
                if (take(slot, waiting)) {
                    waiting.expire(now);
                }
            } else {
                result |= STILL_PENDING;
            }
        }
        return result;
    }

    /**
     * Ends this thread if nothing is registered. The exit is published before the final look, and
     * a registration before its look at {@link #running}: one of the two sees the other, so a
     * registration never waits for a thread that is gone.
     */
    private boolean retire() {
        running.set(0);
        for (int slot = 0; slot < bySlot.length(); slot++) {
            if (bySlot.get(slot) != null) {
                return !running.compareAndSet(0, 1);
            }
        }
        if (owner.housekeep(System.nanoTime()) != Long.MAX_VALUE) {
            return !running.compareAndSet(0, 1);
        }
        return true;
    }

    private void sleep(int line, int bell, long nanos, boolean polling) {
        if (line < 0) {
            // No doorbell line of our own: poll the registered slots.
            LockSupport.parkNanos(this, polling ? Math.min(nanos, POLL_NANOS) : nanos);
            return;
        }
        // The cover first, then the last look at the doorbell (see cover()).
        boolean covered = covering.get() > 0;
        if (region.replyDoorbellVolatile(line) != bell) {
            return;
        }
        if (covered) {
            // A spinning caller serves parked callers, and it or uncover() wakes this thread for the
            // rest: sleep unflagged, so that the server's rings need no FUTEX_WAKE.
            LockSupport.parkNanos(this, nanos);
            return;
        }
        // Flag, then re-read: the sleeper half of the Dekker pair with RegionSignals.ringReplyDoorbell.
        region.replyWaiterSleepingVolatile(line, 1);
        if (!closed && region.replyDoorbellVolatile(line) == bell) {
            futex.await(region.segment(), region.replyDoorbellWordOffset(line), bell, nanos);
        }
        region.replyWaiterSleepingVolatile(line, 0);
    }
}

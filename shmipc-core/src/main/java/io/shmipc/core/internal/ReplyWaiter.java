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
        ensureRunning();
    }

    /**
     * Removes a registration if it is still there.
     *
     * @return true when this call removed it; false when the waiter thread took it first (and so runs
     *         its {@link Waiting#ready} or {@link Waiting#expire})
     */
    boolean unregister(Waiting waiting) {
        return bySlot.compareAndSet(waiting.slot, waiting, null);
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
            Thread current = thread;
            if (current != null) {
                LockSupport.unpark(current);
            }
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
                boolean any = serve(now);
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

    /** @return true when something is still registered */
    private boolean serve(long now) {
        boolean any = false;
        for (int slot = 0; slot < bySlot.length(); slot++) {
            Waiting waiting = bySlot.get(slot);
            if (waiting == null) {
                continue;
            }
            int word = region.stateWordVolatile(slot);
            if (!waiting.pending(word)) {
                if (bySlot.compareAndSet(slot, waiting, null)) {
                    waiting.ready(word);
                }
            } else if (waiting.expired(now, word)) {
                if (bySlot.compareAndSet(slot, waiting, null)) {
                    waiting.expire(now);
                }
            } else {
                any = true;
            }
        }
        return any;
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
        if (region.replyDoorbellVolatile(line) != bell) {
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

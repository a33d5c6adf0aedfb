package io.shmipc.bench.transport;

/**
 * A busy-polling server thread for the hand-rolled shared-memory peers. Closing it stops the thread
 * and then releases the mapping, in that order, so the thread never touches unmapped memory.
 */
final class ServerLoop implements AutoCloseable {

    /** One poll of the shared memory; returns quickly whether or not there was work. */
    interface Poll {
        void pollOnce();
    }

    private final Thread thread;
    private final AutoCloseable mapping;
    private volatile boolean running = true;

    ServerLoop(String name, Poll poll, AutoCloseable mapping) {
        this.mapping = mapping;
        this.thread = Thread.ofPlatform().name(name).start(() -> {
            while (running) {
                poll.pollOnce();
            }
        });
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5000);
        mapping.close();
    }
}

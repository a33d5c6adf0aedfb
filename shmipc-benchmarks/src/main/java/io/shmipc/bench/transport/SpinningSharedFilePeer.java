package io.shmipc.bench.transport;

/**
 * What the hand-rolled shared-memory peers have in common: a file in shared memory, a busy-polling
 * server, and room for one client only (one channel per direction, no routing of replies).
 */
abstract class SpinningSharedFilePeer implements Transport {

    @Override
    public final EndpointKind endpointKind() {
        return EndpointKind.SHARED_FILE;
    }

    @Override
    public final boolean spins() {
        return true;
    }

    @Override
    public final boolean multiClient() {
        return false;
    }
}

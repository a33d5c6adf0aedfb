package io.shmipc.bench.transport;

/** Stands in for a transport that cannot run in this build, so the report can say why. */
record UnavailableTransport(String id, String unavailableReason) implements Transport {

    @Override
    public EndpointKind endpointKind() {
        return EndpointKind.SHM_NAME;
    }

    @Override
    public AutoCloseable startServer(String endpoint) {
        throw new IllegalStateException(unavailableReason);
    }

    @Override
    public Caller connect(String endpoint) {
        throw new IllegalStateException(unavailableReason);
    }
}

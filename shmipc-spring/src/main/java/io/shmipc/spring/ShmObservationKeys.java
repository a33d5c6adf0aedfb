package io.shmipc.spring;

import io.micrometer.common.KeyValues;

/** The low-cardinality keys both shmipc observations carry. */
public final class ShmObservationKeys {

    /** Tag key of the shmipc name. */
    public static final String NAME = "shmipc.name";
    /** Tag key of the route. */
    public static final String ROUTE = "shmipc.route";
    /** Tag key of the {@link ShmOutcome}. */
    public static final String OUTCOME = "outcome";
    /** Tag key of what carried a call, on both sides: {@code shm} or a remote transport such as {@code grpc}. */
    public static final String TRANSPORT = "shmipc.transport";

    private ShmObservationKeys() {}

    static KeyValues lowCardinality(String name, String route, ShmOutcome outcome) {
        return KeyValues.of(NAME, name, ROUTE, route, OUTCOME, outcome.name());
    }

    /** The values the low-cardinality keys of one call are built from: a cache key. */
    record Tags(String name, String route, ShmOutcome outcome, String transport) {}
}

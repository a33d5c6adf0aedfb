package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags {@code shmipc.server.requests} observations; define a bean to customise them. */
public interface ShmServerObservationConvention extends ObservationConvention<ShmServerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ShmServerObservationContext;
    }
}

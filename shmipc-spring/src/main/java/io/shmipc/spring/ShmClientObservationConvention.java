package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags {@code shmipc.client.requests} observations; define a bean to customise them. */
public interface ShmClientObservationConvention extends ObservationConvention<ShmClientObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ShmClientObservationContext;
    }
}

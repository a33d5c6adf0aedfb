package io.shmipc.spring;

import io.micrometer.common.KeyValues;

/**
 * The default {@link ShmClientObservationConvention}: {@code shmipc.client.requests} tagged by name, route,
 * outcome and transport.
 */
public class DefaultShmClientObservationConvention implements ShmClientObservationConvention {

    /** The observation (and timer) name. */
    public static final String NAME = "shmipc.client.requests";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ShmClientObservationContext context) {
        return "shmipc call " + context.getRoute();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ShmClientObservationContext context) {
        return ShmObservationKeys.lowCardinality(context.getShmName(), context.getRoute(), context.getError())
                .and(ShmObservationKeys.TRANSPORT, context.getTransport());
    }
}

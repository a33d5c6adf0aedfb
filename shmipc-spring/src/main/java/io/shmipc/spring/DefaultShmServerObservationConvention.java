package io.shmipc.spring;

import io.micrometer.common.KeyValues;
import io.shmipc.core.ShmNoHandlerException;

/** The default {@link ShmServerObservationConvention}: {@code shmipc.server.requests} tagged by name, route and outcome. */
public class DefaultShmServerObservationConvention implements ShmServerObservationConvention {

    /** The observation (and timer) name. */
    public static final String NAME = "shmipc.server.requests";

    /** The route tag of requests for routes without a handler. */
    public static final String UNKNOWN_ROUTE = "UNKNOWN";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ShmServerObservationContext context) {
        return "shmipc serve " + context.getRoute();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ShmServerObservationContext context) {
        // Clients choose the route text; an unknown one must not become a new time series each time.
        String route = context.getError() instanceof ShmNoHandlerException ? UNKNOWN_ROUTE : context.getRoute();
        return ShmObservationKeys.lowCardinality(context.getShmName(), route, context.getError());
    }
}

package io.shmipc.spring;

import io.micrometer.common.KeyValues;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.spring.ShmServerObservationDocumentation.HighCardinalityKeyNames;
import io.shmipc.spring.ShmServerObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default {@link ShmServerObservationConvention}: {@code shmipc.server.requests} with the keys of
 * {@link ShmServerObservationDocumentation#SERVER_REQUESTS}.
 */
public class DefaultShmServerObservationConvention implements ShmServerObservationConvention {

    /** The observation (and timer) name. */
    public static final String NAME = "shmipc.server.requests";

    /** The value of {@code rpc.system}. */
    public static final String RPC_SYSTEM = "shmipc";

    /** The route tag of requests for routes without a handler. */
    public static final String UNKNOWN_ROUTE = "UNKNOWN";

    @Override
    public String getName() {
        return NAME;
    }

    // Built once per distinct value instead of once per call (see DefaultShmClientObservationConvention).
    // Contextual names are cached for any route a client sent: the cache is bounded, so junk routes only
    // push out the least used names.
    private final ObservationValueCache<String, String> contextualNames =
            new ObservationValueCache<>(route -> "shmipc serve " + route);

    private final ObservationValueCache<ShmObservationKeys.Tags, KeyValues> lowCardinalityKeyValues =
            new ObservationValueCache<>(tags -> KeyValues.of(
                    LowCardinalityKeyNames.RPC_SYSTEM.withValue(RPC_SYSTEM),
                    LowCardinalityKeyNames.RPC_METHOD.withValue(tags.route()),
                    LowCardinalityKeyNames.SHM_NAME.withValue(tags.name()),
                    LowCardinalityKeyNames.OUTCOME.withValue(tags.outcome().name()),
                    LowCardinalityKeyNames.TRANSPORT.withValue(tags.transport())));

    @Override
    public String getContextualName(ShmServerObservationContext context) {
        return contextualNames.get(context.getRoute());
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ShmServerObservationContext context) {
        // Clients choose the route text; an unknown one must not become a new time series each time.
        String route = context.getError() instanceof ShmNoHandlerException ? UNKNOWN_ROUTE : context.getRoute();
        return lowCardinalityKeyValues.get(new ShmObservationKeys.Tags(
                context.getShmName(), route, ShmOutcome.of(context.getError()), context.getTransport()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ShmServerObservationContext context) {
        return KeyValues.of(
                HighCardinalityKeyNames.CLIENT_PID.withValue(Long.toString(context.getClientPid())),
                HighCardinalityKeyNames.REQUEST_ID.withValue(Long.toString(context.getRequestId())));
    }
}

package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmRequestHandler;
import io.shmipc.core.ShmResponse;

/**
 * The engine-facing handler of a Spring server: routes each request to its {@link ShmHandler} method
 * inside a {@code shmipc.server.requests} observation that continues the client's trace.
 */
public class ShmHandlerDispatcher implements ShmRequestHandler {

    private static final ShmServerObservationConvention DEFAULT_CONVENTION =
            new DefaultShmServerObservationConvention();

    private final String name;
    private final ShmHandlerRegistry registry;
    private final ShmCodec codec;
    private final ObservationRegistry observationRegistry;
    private final ShmServerObservationConvention convention;

    /**
     * @param name the shmipc name, for observations
     * @param registry the route table
     * @param codec converts payloads that do not pass through; may be {@code null} when no handler needs one
     * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP} to skip them
     * @param convention a custom convention, or {@code null} for the default
     */
    public ShmHandlerDispatcher(
            String name,
            ShmHandlerRegistry registry,
            ShmCodec codec,
            ObservationRegistry observationRegistry,
            ShmServerObservationConvention convention) {
        this.name = name;
        this.registry = registry;
        this.codec = codec;
        this.observationRegistry = observationRegistry;
        this.convention = convention;
    }

    /**
     * Fails startup rather than the first request when a handler needs a codec and there is none.
     *
     * @throws ShmHandlerDefinitionException naming the first such handler
     */
    public void verify() {
        if (codec != null) {
            return;
        }
        for (ShmHandlerMethod handler : registry.handlers()) {
            if (handler.needsCodec()) {
                throw new ShmHandlerDefinitionException(
                        handler.description(),
                        "takes or returns a type other than"
                                + " byte[], ByteBuffer, String or void, but there is no ShmCodec; add spring-boot-jackson"
                                + " (the shmipc starter brings it) or define a ShmCodec bean");
            }
        }
    }

    @Override
    public void handle(ShmRequest request, ShmResponse response) throws Exception {
        String route = request.route();
        ShmServerObservationContext context =
                new ShmServerObservationContext(name, route, request.headers(), request.clientPid());
        Observation.createNotStarted(convention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .observeChecked(() -> {
                    ShmHandlerMethod handler = registry.handlerFor(route);
                    if (handler == null) {
                        throw new ShmNoHandlerException(route);
                    }
                    handler.invoke(request, response, codec);
                });
    }
}

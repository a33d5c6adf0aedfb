package io.shmipc.bench.spring;

import io.shmipc.bench.transport.Transport;
import java.util.List;

/** Entry point the harness finds by name when this build includes the Spring layer. */
public final class ShmTemplateTransports {

    private ShmTemplateTransports() {}

    public static List<Transport> all() {
        return List.of(
                new ShmTemplateTransport(ShmTemplateTransport.Payload.BYTES),
                new ShmTemplateTransport(ShmTemplateTransport.Payload.JSON),
                new ShmTemplateTransport(ShmTemplateTransport.Payload.CBOR),
                new ShmTemplateTransport(ShmTemplateTransport.Payload.GRPC));
    }
}

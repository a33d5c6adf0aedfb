package io.shmipc.bench.transport;

import io.shmipc.bench.spring.ShmTemplateTransports;
import io.shmipc.core.WaitMode;
import java.util.ArrayList;
import java.util.List;

/** Every transport the harness knows, in report order: floors first, then shmipc, then the peers. */
public final class Transports {

    private Transports() {}

    public static List<Transport> all() {
        List<Transport> all = new ArrayList<>();
        all.add(new BareSpinTransport());
        all.add(new AgronaTransport());
        all.add(new ShmEngineTransport(WaitMode.SPIN));
        all.add(new ShmEngineTransport(WaitMode.HYBRID));
        all.add(new ShmEngineTransport(WaitMode.BLOCK));
        all.addAll(ShmTemplateTransports.all());
        all.add(StreamSocketTransport.unixDomain());
        all.add(StreamSocketTransport.tcpLoopback());
        all.add(new GrpcUdsTransport());
        all.add(new HttpMvcTransport());
        return all;
    }

    /**
     * @return transports run only when named with {@code --transports}: variants for one question, such as
     *         {@code shm-hybrid-parked} (platform threads park behind the engine's reply thread instead of
     *         sleeping on their slot, to compare the two ways of waiting in one run)
     */
    public static List<Transport> onRequest() {
        return List.of(new ShmEngineTransport(WaitMode.HYBRID, true), new ShmEngineTransport(WaitMode.BLOCK, true));
    }

    public static Transport byId(String id) {
        return java.util.stream.Stream.concat(all().stream(), onRequest().stream())
                .filter(t -> t.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transport " + id));
    }
}

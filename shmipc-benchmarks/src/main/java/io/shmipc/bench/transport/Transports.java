package io.shmipc.bench.transport;

import io.shmipc.core.WaitMode;

import java.util.ArrayList;
import java.util.List;

/** Every transport the harness knows, in report order: floors first, then shmipc, then the peers. */
public final class Transports {

    /** Class name of the ShmTemplate transport, compiled only when the Spring layer is in the tree. */
    private static final String SHM_TEMPLATE_TRANSPORTS = "io.shmipc.bench.spring.ShmTemplateTransports";

    private Transports() {
    }

    public static List<Transport> all() {
        List<Transport> all = new ArrayList<>();
        all.add(new BareSpinTransport());
        all.add(new AgronaTransport());
        all.add(new ShmEngineTransport(WaitMode.SPIN));
        all.add(new ShmEngineTransport(WaitMode.HYBRID));
        all.add(new ShmEngineTransport(WaitMode.BLOCK));
        all.addAll(shmTemplateTransports());
        all.add(StreamSocketTransport.unixDomain());
        all.add(StreamSocketTransport.tcpLoopback());
        all.add(new GrpcUdsTransport());
        all.add(new HttpMvcTransport());
        return all;
    }

    public static Transport byId(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transport " + id));
    }

    @SuppressWarnings("unchecked")
    private static List<Transport> shmTemplateTransports() {
        try {
            Class<?> type = Class.forName(SHM_TEMPLATE_TRANSPORTS);
            return (List<Transport>) type.getMethod("all").invoke(null);
        } catch (ClassNotFoundException e) {
            String reason = "ShmTemplate/@ShmHandler classes are not in this build (Spring layer not merged yet;"
                    + " run.sh enables them when they are)";
            return List.of(new UnavailableTransport("shm-template-bytes", reason),
                    new UnavailableTransport("shm-template-json", reason));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + SHM_TEMPLATE_TRANSPORTS, e);
        }
    }
}

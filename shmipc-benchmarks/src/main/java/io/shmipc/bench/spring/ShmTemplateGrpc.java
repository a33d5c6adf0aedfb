package io.shmipc.bench.spring;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmConfig;
import io.shmipc.grpc.ShmGrpcCaller;
import io.shmipc.grpc.ShmGrpcService;
import io.shmipc.grpc.ShmGrpcTransport;
import io.shmipc.spring.ShmHandlerDispatcher;
import io.shmipc.spring.ShmTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The gRPC half of the {@code shm-template-grpc} transport: the server's {@code @ShmHandler} dispatcher
 * served by {@link ShmGrpcService} on TCP loopback, and the client's {@code ShmTemplate} carried there by
 * {@link ShmGrpcTransport}. grpc-java's shaded Netty stands in for Boot's gRPC server and channel factory
 * (the same grpc-java underneath), so the benchmark keeps one netty on its class path.
 */
final class ShmTemplateGrpc {

    /** Above the 2 MiB slots, so gRPC's own limit never refuses what a slot accepts. */
    private static final int MAX_MESSAGE = 16 << 20;

    private ShmTemplateGrpc() {}

    /** The shmipc name both sides use; the orchestrator hands this transport a port, not a name. */
    static String name(String port) {
        return "shmipc-bench-grpc-" + port;
    }

    /** Serves the server context's handlers over gRPC at 127.0.0.1:{@code port} until closed. */
    static AutoCloseable startServer(ConfigurableApplicationContext context, String port) throws Exception {
        ShmGrpcService service = new ShmGrpcService(
                context.getBean(ShmHandlerDispatcher.class),
                context.getBean(ShmConfig.class).slotCapacity());
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))
                .maxInboundMessageSize(MAX_MESSAGE)
                .addService(service)
                .build()
                .start();
        return () -> {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            context.close();
        };
    }

    /** Registers the gRPC {@link ShmTransport} the template then uses for every call. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> client(String port) {
        String target = "127.0.0.1:" + port;
        return context -> ((GenericApplicationContext) context).registerBean(ShmTransport.class, () -> {
            ManagedChannel channel = NettyChannelBuilder.forTarget(target)
                    .usePlaintext()
                    .maxInboundMessageSize(MAX_MESSAGE)
                    .build();
            return new ShmGrpcTransport(new ShmGrpcCaller(channel, target, MAX_MESSAGE), ObservationRegistry.NOOP);
        });
    }
}

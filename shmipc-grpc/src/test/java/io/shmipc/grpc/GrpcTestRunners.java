package io.shmipc.grpc;

import io.shmipc.grpc.autoconfigure.ShmGrpcClientAutoConfiguration;
import io.shmipc.grpc.autoconfigure.ShmGrpcHealthAutoConfiguration;
import io.shmipc.grpc.autoconfigure.ShmGrpcServerAutoConfiguration;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.spring.autoconfigure.ShmHealthAutoConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerServicesAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts of a shmipc client and of an agent serving shared memory and gRPC, for in-JVM tests. */
final class GrpcTestRunners {

    private GrpcTestRunners() {}

    /**
     * A client of {@code name} whose local region directory is {@code directory}.
     *
     * @param transport {@code shm}, {@code grpc} or {@code auto}
     * @param address the remote address: host:port or a channel name
     */
    static ApplicationContextRunner client(String name, Path directory, String transport, String address) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        JacksonAutoConfiguration.class,
                        SslAutoConfiguration.class,
                        GrpcClientAutoConfiguration.class,
                        ShmAutoConfiguration.class,
                        ShmGrpcClientAutoConfiguration.class,
                        ShmGrpcHealthAutoConfiguration.class,
                        ShmHealthAutoConfiguration.class))
                .withPropertyValues(
                        "shmipc.name=" + name,
                        "shmipc.role=client",
                        "shmipc.directory=" + directory,
                        "shmipc.client.timeout=20s",
                        "shmipc.client.transport=" + transport,
                        "shmipc.client.grpc.address=" + address);
    }

    /**
     * An agent in this JVM serving {@link GrpcAgentApp}'s handlers on shared memory (in {@code directory})
     * and on gRPC at 127.0.0.1:{@code port}.
     */
    static ApplicationContextRunner agent(String name, Path directory, int port) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        JacksonAutoConfiguration.class,
                        SslAutoConfiguration.class,
                        GrpcServerAutoConfiguration.class,
                        GrpcServerServicesAutoConfiguration.class,
                        ShmAutoConfiguration.class,
                        ShmGrpcServerAutoConfiguration.class))
                .withUserConfiguration(GrpcAgentApp.AgentHandlers.class)
                .withPropertyValues(
                        "agent.instance=in-jvm",
                        "shmipc.name=" + name,
                        "shmipc.role=server",
                        "shmipc.directory=" + directory,
                        "shmipc.grpc.server.enabled=true",
                        "spring.grpc.server.address=127.0.0.1",
                        "spring.grpc.server.port=" + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

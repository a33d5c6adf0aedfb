package io.shmipc.bench.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * grpc-java over a Unix domain socket with netty's native epoll transport. Messages are raw bytes
 * through a pass-through marshaller, so no protobuf code generation is needed and the figure is
 * gRPC's own cost (HTTP/2 framing, netty, thread hand-offs), not protobuf's.
 */
public final class GrpcUdsTransport implements Transport {

    private static final int MAX_MESSAGE = 16 << 20;
    private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("shmipc.bench.Echo", "Echo"))
            .setRequestMarshaller(RawBytes.INSTANCE)
            .setResponseMarshaller(RawBytes.INSTANCE)
            .build();

    @Override
    public EndpointKind endpointKind() {
        return EndpointKind.SOCKET_FILE;
    }

    @Override
    public String id() {
        return "grpc-uds";
    }

    @Override
    public @Nullable String unavailableReason() {
        return Epoll.isAvailable() ? null : "netty native epoll is not available here: " + Epoll.unavailabilityCause();
    }

    @Override
    public AutoCloseable startServer(String endpoint) throws IOException {
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(2);
        ServerServiceDefinition service = ServerServiceDefinition.builder("shmipc.bench.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, reply) -> {
                    reply.onNext(request);
                    reply.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(endpoint))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .addService(service)
                .build()
                .start();
        return () -> {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Files.deleteIfExists(Path.of(endpoint));
        };
    }

    @Override
    public Caller connect(String endpoint) {
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                .directExecutor()
                .maxInboundMessageSize(MAX_MESSAGE)
                .build();
        return new Caller() {
            @Override
            public byte[] call(byte[] request) {
                return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
            }

            @Override
            public void close() throws InterruptedException {
                channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        };
    }

    /** Passes bytes through untouched. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

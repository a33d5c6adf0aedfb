package io.shmipc.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmRequestHandler;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC service and caller over a real Netty server on 127.0.0.1, with every error mapping. */
class ShmGrpcCallerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CAPACITY = 1024;

    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.ExecutorService serverThreads =
            java.util.concurrent.Executors.newFixedThreadPool(4);
    private Server server;
    private ManagedChannel channel;
    private ShmGrpcCaller caller;

    private final ShmRequestHandler handler = (request, response) -> {
        switch (request.route()) {
            case "echo" -> response.write(request.payloadBytes());
            case "headers" -> response.write(utf8(new java.util.TreeMap<>(request.headers()).toString()));
            case "deadline" -> response.write(utf8(Boolean.toString(request.deadlineEpochMillis() > 0)));
            case "fail" -> throw new IllegalStateException("stock is empty: " + request.size());
            case "big-reply" -> response.write(new byte[CAPACITY + 1]);
            case "in-place" -> {
                byte[] reply = utf8("written in place");
                response.buffer().asByteBuffer().put(reply);
                response.commit(reply.length);
            }
            case "hold" -> release.await(30, TimeUnit.SECONDS);
            case "coded" -> throw new ShmRemoteException("coded", "com.example.Refused", "no", "CODE_7");
            default -> throw new ShmNoHandlerException(request.route());
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                // A few server threads: held calls queue on the server, so only the client's threads are counted.
                .executor(serverThreads)
                .addService(new ShmGrpcService(handler, CAPACITY))
                .build()
                .start();
        String target = "127.0.0.1:" + server.getPort();
        channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        caller = new ShmGrpcCaller(channel, target, CAPACITY);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        serverThreads.shutdownNow();
    }

    @Test
    void callShouldReturnTheHandlersReply() {
        assertThat(caller.call("echo", Map.of(), utf8("hello"), TIMEOUT)).isEqualTo(utf8("hello"));
        assertThat(caller.call("echo", Map.of(), new byte[0], TIMEOUT)).isEmpty();
        assertThat(new String(caller.call("in-place", Map.of(), new byte[0], TIMEOUT), StandardCharsets.UTF_8))
                .isEqualTo("written in place");
    }

    @Test
    void headersShouldKeepCaseAndUnicode() {
        byte[] reply = caller.call("headers", Map.of("Tenant", "t1", "note", "grüße ✓"), new byte[0], TIMEOUT);
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("{Tenant=t1, note=grüße ✓}");
    }

    @Test
    void theHandlerShouldSeeTheCallersDeadline() {
        assertThat(new String(caller.call("deadline", Map.of(), new byte[0], TIMEOUT), StandardCharsets.UTF_8))
                .isEqualTo("true");
    }

    @Test
    void aThrowingHandlerShouldGiveARemoteException() {
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> caller.call("fail", Map.of(), utf8("abc"), TIMEOUT))
                .satisfies(ex -> {
                    assertThat(ex.getRemoteType()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(ex.getRemoteMessage()).isEqualTo("stock is empty: 3");
                });
    }

    @Test
    void anApplicationErrorCodeShouldReachTheCaller() {
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> caller.call("coded", Map.of(), new byte[0], TIMEOUT))
                .satisfies(ex -> {
                    assertThat(ex.errorCode()).isEqualTo("CODE_7");
                    assertThat(ex.getRemoteType()).isEqualTo("com.example.Refused");
                });
    }

    @Test
    void anUnknownRouteShouldGiveNoHandler() {
        assertThatExceptionOfType(ShmNoHandlerException.class)
                .isThrownBy(() -> caller.call("nope", Map.of(), new byte[0], TIMEOUT))
                .satisfies(ex -> assertThat(ex.getRoute()).isEqualTo("nope"));
    }

    @Test
    void anOversizedRequestShouldBeRefusedBeforeSending() {
        assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                .isThrownBy(() -> caller.call("echo", Map.of(), new byte[CAPACITY + 1], TIMEOUT))
                .withMessageContaining(Integer.toString(CAPACITY + 1))
                .withMessageContaining(Integer.toString(CAPACITY))
                .withMessageContaining("shmipc.client.grpc.max-payload")
                .satisfies(ex -> {
                    assertThat(ex.getSize()).isEqualTo(CAPACITY + 1);
                    assertThat(ex.getCapacity()).as("the limit that applied").isEqualTo(CAPACITY);
                });
    }

    @Test
    void anOversizedRequestShouldNotEvenTryTheConnection() throws Exception {
        // Nothing listens there: had the caller tried to send, the answer would be "unavailable".
        ManagedChannel nowhere = NettyChannelBuilder.forTarget("127.0.0.1:" + closedPort())
                .usePlaintext()
                .build();
        try {
            assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                    .isThrownBy(() -> new ShmGrpcCaller(nowhere, "nowhere", CAPACITY)
                            .call("echo", Map.of(), new byte[CAPACITY + 1], TIMEOUT));
        } finally {
            nowhere.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOversizedReplyShouldGivePayloadTooLarge() {
        assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                .isThrownBy(() -> caller.call("big-reply", Map.of(), new byte[0], TIMEOUT))
                .satisfies(ex -> {
                    assertThat(ex.getSize()).isEqualTo(CAPACITY + 1);
                    assertThat(ex.getCapacity()).isEqualTo(CAPACITY);
                });
    }

    @Test
    void aSlowHandlerShouldGiveATimeoutWithOutcomeUnknown() {
        assertThatExceptionOfType(ShmTimeoutException.class)
                .isThrownBy(() -> caller.call("hold", Map.of(), new byte[0], Duration.ofMillis(200)))
                .satisfies(ex -> assertThat(ex.isOutcomeUnknown()).isTrue());
    }

    @Test
    void anUnreachableServerShouldBeUnavailableNamingTheAddress() throws Exception {
        String target = "127.0.0.1:" + closedPort();
        ManagedChannel nowhere =
                NettyChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            ShmGrpcCaller unreachable = new ShmGrpcCaller(nowhere, target, CAPACITY);
            assertThatExceptionOfType(ShmServerUnavailableException.class)
                    .isThrownBy(() -> unreachable.call("echo", Map.of(), new byte[0], TIMEOUT))
                    .withMessageContaining(target)
                    .withMessageContaining("Connection refused")
                    .satisfies(ex -> assertThat(ex.isOutcomeUnknown()).isFalse());
        } finally {
            nowhere.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void manyOutstandingAsyncCallsShouldHoldNoThreadEach() throws Exception {
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(caller.callAsync("hold", Map.of(), new byte[0], TIMEOUT));
        }
        // Far fewer threads than outstanding calls: the callers hold none, only gRPC's own pools exist.
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(50);
        release.countDown();
        for (CompletableFuture<byte[]> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

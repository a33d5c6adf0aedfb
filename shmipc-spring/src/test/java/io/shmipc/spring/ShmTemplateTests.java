package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServer;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ShmTemplate} through the real engine (server in this JVM; the cross-process tests live in the
 * auto-configuration and test modules): generic types, the fluent spec, headers both ways, interceptors.
 */
class ShmTemplateTests {

    private static final JacksonShmCodec CODEC = new JacksonShmCodec(JsonMapper.shared());

    @TempDir
    Path directory;

    private final String name = "shmipc-template-" + UUID.randomUUID();
    private final AtomicInteger served = new AtomicInteger();
    private ShmServer server;
    private ShmClient client;

    @BeforeEach
    void start() {
        ShmConfig config = ShmConfig.builder().directory(directory).slotCount(4).build();
        // A raw engine handler: echoes the payload and returns the request headers prefixed with "echo-".
        server = ShmServer.start(name, config, (request, response) -> {
            served.incrementAndGet();
            if (request.route().equals("fail")) {
                throw new IllegalStateException("refused " + request.payloadBytes().length);
            }
            Map<String, String> replyHeaders = new LinkedHashMap<>();
            request.headers().forEach((key, value) -> replyHeaders.put("echo-" + key, value));
            byte[] payload = request.payloadBytes();
            response.headers(replyHeaders);
            response.write(payload);
        });
        client = new ShmClient(name, config);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ShmTemplate template() {
        return ShmTemplate.builder(client).codec(CODEC).build();
    }

    @Test
    void callShouldDecodeGenericTypes() {
        List<Order> orders = List.of(new Order("a", 1), new Order("b", 2));
        List<Order> reply = template().call("echo", orders, new ParameterizedTypeReference<List<Order>>() {});
        assertThat(reply).containsExactlyElementsOf(orders);
    }

    @Test
    void fluentSpecShouldSendHeadersAndReturnReplyHeaders() {
        ShmResponseEntity<Order> reply = template()
                .route("echo")
                .header("tenant", "t1")
                .header("ünïcode", "välue ✓")
                .timeout(Duration.ofSeconds(3))
                .body(new Order("x", 3))
                .toEntity(Order.class);
        assertThat(reply.body()).isEqualTo(new Order("x", 3));
        assertThat(reply.headers()).containsEntry("echo-tenant", "t1").containsEntry("echo-ünïcode", "välue ✓");
    }

    @Test
    void replyWithoutHeadersShouldNotEchoRequestHeaders() throws Exception {
        // A server that sets no reply headers must not hand the client its own request headers back.
        try (ShmServer quiet = ShmServer.start(
                        name + "-quiet",
                        ShmConfig.builder().directory(directory).build(),
                        (request, response) -> response.write(request.payloadBytes()));
                ShmClient quietClient = new ShmClient(
                        name + "-quiet",
                        ShmConfig.builder().directory(directory).build())) {
            ShmResponseEntity<String> reply = ShmTemplate.builder(quietClient)
                    .build()
                    .route("echo")
                    .header("tenant", "t1")
                    .body("hi")
                    .toEntity(String.class);
            assertThat(reply.body()).isEqualTo("hi");
            assertThat(reply.headers()).isEmpty();
        }
    }

    @Test
    void fluentSpecShouldRetrieveAsync() throws Exception {
        ShmTemplate template = template();
        try {
            List<Order> reply = template.route("echo")
                    .body(List.of(new Order("y", 4)))
                    .retrieveAsync(new ParameterizedTypeReference<List<Order>>() {})
                    .get(10, TimeUnit.SECONDS);
            assertThat(reply).containsExactly(new Order("y", 4));
            ShmResponseEntity<String> entity = template.route("echo")
                    .header("k", "v")
                    .body("async")
                    .toEntityAsync(new ParameterizedTypeReference<String>() {})
                    .get(10, TimeUnit.SECONDS);
            assertThat(entity.headers()).containsEntry("echo-k", "v");
        } finally {
            template.close();
        }
    }

    @Test
    void remoteFailureShouldKeepTheEngineExceptionTypes() {
        ShmTemplate template = template();
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> template.route("fail").body("abc").retrieve(String.class))
                .satisfies(ex -> assertThat(ex.getRemoteMessage()).isEqualTo("refused 3"));
    }

    @Test
    void unencodableHeaderShouldBeRefusedBeforeSending() {
        ShmTemplate template = template();
        ShmOperations.RequestSpec spec = template.route("echo").body("x");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spec.header("bad", "lone \uD800 surrogate"))
                .withMessageContaining("surrogate");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spec.header("", "v"))
                .withMessageContaining("1 to 255");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spec.header("big", "x".repeat(400)))
                .withMessageContaining("320");
        // Each header fits alone, together they do not: the engine refuses before writing anything.
        spec.header("a", "x".repeat(200)).header("b", "y".repeat(200));
        assertThatIllegalArgumentException().isThrownBy(() -> spec.retrieve(String.class));
        assertThat(served).hasValue(0);
    }

    @Test
    void interceptorsShouldRunInOrderAndSeeRequestAndReply() {
        List<String> seen = new ArrayList<>();
        ShmTemplate template = ShmTemplate.builder(client)
                .codec(CODEC)
                .interceptor((request, execution) -> {
                    seen.add("outer " + request.route() + " " + request.headers());
                    ShmClientResponse reply = execution.execute(request.header("added", "by-outer"));
                    seen.add("outer reply " + reply.headers().get("echo-inner"));
                    return reply;
                })
                .interceptor((request, execution) -> {
                    seen.add("inner " + request.headers().keySet());
                    return execution.execute(request.header("inner", "2"));
                })
                .build();
        ShmResponseEntity<Receipt> reply = template.route("echo")
                .header("tenant", "t1")
                .body(new Receipt("r", 1))
                .toEntity(Receipt.class);
        assertThat(reply.body()).isEqualTo(new Receipt("r", 1));
        assertThat(reply.headers()).containsKeys("echo-tenant", "echo-added", "echo-inner");
        assertThat(seen).containsExactly("outer echo {tenant=t1}", "inner [tenant, added]", "outer reply 2");
    }

    @Test
    void interceptorShouldRetryAndRefuse() {
        AtomicInteger attempts = new AtomicInteger();
        ShmTemplate template = ShmTemplate.builder(client)
                .interceptor((request, execution) -> {
                    if (request.route().equals("forbidden")) {
                        throw new IllegalStateException("route " + request.route() + " is not allowed");
                    }
                    try {
                        attempts.incrementAndGet();
                        return execution.execute(request);
                    } catch (ShmRemoteException first) {
                        attempts.incrementAndGet();
                        return execution.execute(request);
                    }
                })
                .build();
        assertThatExceptionOfType(ShmRemoteException.class).isThrownBy(() -> template.call("fail", "x", String.class));
        assertThat(attempts).hasValue(2);
        assertThat(served).hasValue(2);
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> template.call("forbidden", "x", String.class))
                .withMessageContaining("not allowed");
        assertThat(served).hasValue(2);
    }

    @Test
    void callAsyncShouldAcceptGenericTypes() throws Exception {
        try (ShmTemplate template = template()) {
            Map<String, Integer> reply = template.callAsync(
                            "echo", Map.of("a", 1), new ParameterizedTypeReference<Map<String, Integer>>() {})
                    .get(10, TimeUnit.SECONDS);
            assertThat(reply).containsEntry("a", 1);
        }
    }

    @Test
    void callAsyncShouldHoldNoThreadWhileItWaits() throws Exception {
        String holdName = "shmipc-template-hold-" + UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        ShmConfig config = ShmConfig.builder().directory(directory).slotCount(4).build();
        // One dispatch thread held in the handler: every other call waits in a slot or in the client's queue.
        try (ShmServer holding = ShmServer.start(holdName, config, (request, response) -> {
                    release.await();
                    response.write(request.payloadBytes());
                });
                ShmClient holdClient = new ShmClient(holdName, config);
                ShmTemplate template =
                        ShmTemplate.builder(holdClient).codec(CODEC).build()) {
            List<java.util.concurrent.CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                replies.add(template.callAsync("echo", "call-" + i, String.class));
            }
            assertThat(replies).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            assertThat(Thread.getAllStackTraces().keySet())
                    .as("no thread per outstanding call")
                    .noneMatch(thread -> thread.getName().startsWith("shmipc-template-"));
            release.countDown();
            for (int i = 0; i < replies.size(); i++) {
                assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("call-" + i);
            }
        }
    }

    /**
     * With interceptors an async call used to run the whole synchronous pipeline on a thread of the
     * template's own cached pool: 200 outstanding calls made about 200 platform threads (this test failed
     * before the fix). Now an interceptor's async variant runs without any thread, and a synchronous-only
     * interceptor runs on a virtual thread, which parks while the engine waits.
     */
    @Test
    void callAsyncWithInterceptorsShouldHoldNoPlatformThreadWhileItWaits() throws Exception {
        String holdName = "shmipc-template-hold-" + UUID.randomUUID();
        // One latch per round: each round's calls wait until that round releases them.
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> release =
                new java.util.concurrent.atomic.AtomicReference<>();
        ShmConfig config = ShmConfig.builder().directory(directory).slotCount(4).build();
        ShmClientInterceptor synchronousOnly = (request, execution) -> {
            request.addHeaders(Map.of("sync", "1"));
            return execution.execute(request);
        };
        ShmClientInterceptor asyncCapable = new ShmClientInterceptor() {
            @Override
            public ShmClientResponse intercept(ShmClientRequest request, Execution execution) {
                request.addHeaders(Map.of("async", "1"));
                return execution.execute(request);
            }

            @Override
            public java.util.concurrent.CompletableFuture<ShmClientResponse> interceptAsync(
                    ShmClientRequest request, AsyncExecution execution) {
                request.addHeaders(Map.of("async", "1"));
                return execution.executeAsync(request);
            }
        };
        try (ShmServer holding = ShmServer.start(holdName, config, (request, response) -> {
                    release.get().await();
                    response.headers(request.headers());
                    response.write(request.payloadBytes());
                });
                ShmClient holdClient = new ShmClient(holdName, config)) {
            for (List<ShmClientInterceptor> chain :
                    List.of(List.of(asyncCapable), List.of(synchronousOnly, asyncCapable))) {
                try (ShmTemplate template = ShmTemplate.builder(holdClient)
                        .codec(CODEC)
                        .interceptors(list -> list.addAll(chain))
                        .build()) {
                    release.set(new CountDownLatch(1));
                    int platformThreadsBefore = Thread.getAllStackTraces().size();
                    List<java.util.concurrent.CompletableFuture<ShmResponseEntity<String>>> replies = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        replies.add(template.route("echo")
                                .body("call-" + i)
                                .toEntityAsync(new ParameterizedTypeReference<String>() {}));
                    }
                    assertThat(replies).noneMatch(java.util.concurrent.CompletableFuture::isDone);
                    assertThat(Thread.getAllStackTraces().keySet())
                            .as("no pooled thread per outstanding call")
                            .noneMatch(thread -> thread.getName().startsWith("shmipc-template-"));
                    assertThat(Thread.getAllStackTraces().size() - platformThreadsBefore)
                            .as("platform threads started while 200 calls are outstanding")
                            .isLessThan(20);
                    release.get().countDown();
                    for (int i = 0; i < replies.size(); i++) {
                        ShmResponseEntity<String> reply = replies.get(i).get(30, TimeUnit.SECONDS);
                        assertThat(reply.body()).isEqualTo("call-" + i);
                        assertThat(reply.headers()).containsEntry("async", "1");
                        if (chain.size() == 2) {
                            assertThat(reply.headers()).containsEntry("sync", "1");
                        }
                    }
                }
            }
        }
    }

    @Test
    void noHandlerShouldSurfaceAsItself() {
        ShmTemplate template = ShmTemplate.builder(client)
                .transport(request -> {
                    throw new ShmNoHandlerException(request.route());
                })
                .build();
        assertThatExceptionOfType(ShmNoHandlerException.class).isThrownBy(() -> template.call("x", new byte[0]));
        assertThat(served).hasValue(0);
    }
}

package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** Discovery of {@link ShmHandler} methods and dispatch to them, without shared memory. */
class ShmHandlerDispatchTests {

    private static final JsonMapper MAPPER = JsonMapper.shared();

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withBean(ShmHandlerRegistry.class, ShmHandlerRegistry::new);

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    @Test
    void runWhenBeanHasSeveralHandlersShouldRegisterEveryRoute() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerRegistry registry = context.getBean(ShmHandlerRegistry.class);
            assertThat(registry.hasHandlers()).isTrue();
            assertThat(registry.routes())
                    .containsExactlyInAnyOrder(
                            "orders.place",
                            "orders.list",
                            "echo.text",
                            "upper",
                            "header",
                            "echo.bytes",
                            "echo.buffer",
                            "pid",
                            "fire",
                            "fail",
                            "slow");
        });
    }

    @Test
    void runWhenNoHandlersShouldReportNone() {
        runner.run(
                context -> assertThat(context.getBean(ShmHandlerRegistry.class).hasHandlers())
                        .isFalse());
    }

    @Test
    void dispatchShouldBindJsonRecordsAndGenericTypes() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            TestShmResponse response = new TestShmResponse();
            dispatcher.handle(
                    new TestShmRequest("orders.place", MAPPER.writeValueAsBytes(new Order("o-1", 3))), response);
            assertThat(MAPPER.readValue(response.bytes(), Receipt.class)).isEqualTo(new Receipt("o-1", 30));

            TestShmResponse listResponse = new TestShmResponse();
            dispatcher.handle(
                    new TestShmRequest(
                            "orders.list", MAPPER.writeValueAsBytes(List.of(new Order("a", 1), new Order("b", 2)))),
                    listResponse);
            assertThat(listResponse.text()).isEqualTo("[{\"id\":\"a\",\"quantity\":1},{\"id\":\"b\",\"quantity\":2}]");
        });
    }

    @Test
    void dispatchShouldPassThroughTextBytesAndBuffersAndBindTheContext() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            TestShmResponse text = new TestShmResponse();
            dispatcher.handle(
                    new TestShmRequest(
                            "echo.text", "héllo".getBytes(StandardCharsets.UTF_8), Map.of("h", "v"), 99, 1, 0),
                    text);
            assertThat(text.text()).isEqualTo("héllo/echo.text/99/v");

            TestShmResponse bytes = new TestShmResponse();
            dispatcher.handle(new TestShmRequest("echo.bytes", new byte[] {1, 2, 3}), bytes);
            assertThat(bytes.bytes()).containsExactly(3, 2, 1);

            TestShmResponse buffer = new TestShmResponse();
            dispatcher.handle(new TestShmRequest("echo.buffer", new byte[] {9, 8}), buffer);
            assertThat(buffer.bytes()).containsExactly(9, 8);

            TestShmResponse none = new TestShmResponse();
            dispatcher.handle(new TestShmRequest("fire", new byte[0]), none);
            assertThat(none.written()).isFalse();
        });
    }

    @Test
    void dispatchWhenRouteUnknownShouldThrowNoHandlerAndTagUnknown() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            assertThatExceptionOfType(ShmNoHandlerException.class)
                    .isThrownBy(() -> dispatcher.handle(new TestShmRequest("nope", "x"), new TestShmResponse()))
                    .satisfies(ex -> assertThat(ex.getRoute()).isEqualTo("nope"));
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(DefaultShmServerObservationConvention.NAME)
                    .that()
                    .hasLowCardinalityKeyValue("rpc.method", DefaultShmServerObservationConvention.UNKNOWN_ROUTE)
                    .hasLowCardinalityKeyValue(ShmObservationKeys.OUTCOME, "NO_HANDLER");
        });
    }

    @Test
    void dispatchWhenHandlerThrowsShouldRethrowItsOwnExceptionAndObserveIt() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            assertThatExceptionOfType(IllegalStateException.class)
                    .isThrownBy(() -> dispatcher.handle(new TestShmRequest("fail", "x"), new TestShmResponse()))
                    .withMessage("broken: x");
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(DefaultShmServerObservationConvention.NAME)
                    .that()
                    .hasLowCardinalityKeyValue(ShmObservationKeys.NAME, "test")
                    .hasLowCardinalityKeyValue("rpc.method", "fail")
                    .hasLowCardinalityKeyValue("rpc.system", "shmipc")
                    .hasHighCardinalityKeyValue("shmipc.client.pid", "4242")
                    .hasHighCardinalityKeyValue("shmipc.request.id", "7")
                    .hasLowCardinalityKeyValue(ShmObservationKeys.OUTCOME, "ERROR")
                    .hasError();
        });
    }

    @Test
    void dispatchShouldObserveSuccessAndExposeHeadersToPropagation() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            dispatcher.handle(
                    new TestShmRequest(
                            "echo.text",
                            "a".getBytes(StandardCharsets.UTF_8),
                            Map.of("traceparent", "00-abc-def-01"),
                            1,
                            1,
                            0),
                    new TestShmResponse());
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(DefaultShmServerObservationConvention.NAME)
                    .that()
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue(ShmObservationKeys.OUTCOME, "SUCCESS")
                    .hasContextualNameEqualTo("shmipc serve echo.text")
                    .satisfies(ctx -> {
                        ShmServerObservationContext server = (ShmServerObservationContext) ctx;
                        assertThat(server.getGetter().get(server.getCarrier(), "traceparent"))
                                .isEqualTo("00-abc-def-01");
                    });
        });
    }

    @Test
    void dispatchWithCustomConventionShouldUseIt() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmServerObservationConvention custom = new DefaultShmServerObservationConvention() {
                @Override
                public String getName() {
                    return "custom.server";
                }
            };
            new ShmHandlerDispatcher(
                            "test",
                            context.getBean(ShmHandlerRegistry.class),
                            new JacksonShmCodec(MAPPER),
                            observations,
                            custom)
                    .handle(new TestShmRequest("fire", new byte[0]), new TestShmResponse());
            TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("custom.server");
        });
    }

    @Test
    void verifyWhenHandlerNeedsCodecAndNoneShouldFailNamingTheMethod() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmHandlerDispatcher dispatcher = new ShmHandlerDispatcher(
                    "test", context.getBean(ShmHandlerRegistry.class), (ShmCodec) null, observations, null);
            assertThatExceptionOfType(ShmHandlerDefinitionException.class)
                    .isThrownBy(dispatcher::verify)
                    .withMessageMatching(".*testHandlers\\.(place\\(Order\\)|list\\(List\\)).*")
                    .withMessageContaining("ShmCodec");
        });
    }

    static class CountingService {

        @ShmHandler("counted")
        public String counted(String text) {
            return text.toUpperCase();
        }
    }

    @Test
    void runWhenBeanIsProxiedShouldInvokeThroughTheProxy() {
        AtomicInteger intercepted = new AtomicInteger();
        runner.withBean("counting", CountingService.class, () -> {
                    ProxyFactory factory = new ProxyFactory(new CountingService());
                    factory.setProxyTargetClass(true);
                    factory.addAdvice((MethodInterceptor) invocation -> {
                        intercepted.incrementAndGet();
                        return invocation.proceed();
                    });
                    return (CountingService) factory.getProxy();
                })
                .run(context -> {
                    ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
                    TestShmResponse response = new TestShmResponse();
                    dispatcher.handle(new TestShmRequest("counted", "abc"), response);
                    assertThat(response.text()).isEqualTo("ABC");
                    assertThat(intercepted).hasValue(1);
                });
    }

    static class Duplicate {

        @ShmHandler("orders.place")
        String place(String text) {
            return text;
        }
    }

    @Test
    void runWhenRouteDuplicatedShouldFailNamingBothMethods() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .withBean("duplicate", Duplicate.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(ShmHandlerDefinitionException.class)
                        .hasMessageContaining("duplicate.place(String)")
                        .hasMessageContaining("testHandlers.place(Order)")
                        .hasMessageContaining("'orders.place'"));
    }

    static class TwoPayloads {

        @ShmHandler("two")
        String two(String a, String b) {
            return a + b;
        }
    }

    @Test
    void runWhenSignatureUnbindableShouldFailNamingTheMethod() {
        runner.withBean("twoPayloads", TwoPayloads.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            assertThatExceptionOfType(ShmHandlerDefinitionException.class)
                    .isThrownBy(dispatcher::verify)
                    .withMessageContaining("twoPayloads.two(String, String)")
                    .withMessageContaining("more than one payload parameter");
        });
    }

    static class EmptyRoute {

        @ShmHandler(" ")
        void blank() {}
    }

    @Test
    void runWhenRouteBlankShouldFail() {
        runner.withBean("emptyRoute", EmptyRoute.class).run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .isInstanceOf(ShmHandlerDefinitionException.class)
                .hasMessageContaining("emptyRoute.blank()")
                .hasMessageContaining("route is empty"));
    }

    static class PlainFutureHandler {

        @ShmHandler("future")
        java.util.concurrent.Future<String> future() {
            return null;
        }
    }

    @Test
    void runWhenHandlerReturnsPlainFutureShouldFailNamingTheMethod() {
        runner.withBean("plainFutureHandler", PlainFutureHandler.class).run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context.getBean(ShmHandlerRegistry.class));
            assertThatExceptionOfType(ShmHandlerDefinitionException.class)
                    .isThrownBy(dispatcher::verify)
                    .withMessageContaining("plainFutureHandler.future()")
                    .withMessageContaining("return CompletableFuture");
        });
    }

    private ShmHandlerDispatcher dispatcher(ShmHandlerRegistry registry) {
        return new ShmHandlerDispatcher("test", registry, new JacksonShmCodec(MAPPER), observations, null);
    }
}

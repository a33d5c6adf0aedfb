package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmRemoteException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binding of {@link ShmHandler} arguments on spring-messaging's handler-method infrastructure, error
 * mapping through {@code @MessageExceptionHandler}, and asynchronous replies; without shared memory.
 */
class ShmHandlerBindingTests {

    private static final JsonMapper MAPPER = JsonMapper.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(ShmHandlerRegistry.class, ShmHandlerRegistry::new)
            .withPropertyValues("app.route.prefix=shop");

    /** A payload with constraints. */
    record NewOrder(@NotBlank String id, @Positive int quantity) {}

    /** Thrown by a handler; mapped by the bean's own exception handler. */
    static class OutOfStockException extends RuntimeException {
        OutOfStockException(String message) {
            super(message);
        }
    }

    /** Thrown by a handler; mapped by the advice to an error code. */
    static class OrderNotFoundException extends RuntimeException {
        OrderNotFoundException(String message) {
            super(message);
        }
    }

    /** Who is calling, resolved by an application's own argument resolver. */
    record Caller(long pid) {}

    static class Handlers {

        final AtomicInteger placed = new AtomicInteger();

        @ShmHandler("${app.route.prefix}.place")
        String place(@Valid @Payload NewOrder order, @Header("tenant") String tenant) {
            placed.incrementAndGet();
            return tenant + ":" + order.id() + "x" + order.quantity();
        }

        @ShmHandler("headers")
        String headers(
                @Header(name = "priority", defaultValue = "5") int priority,
                @Header(name = "optional", required = false) String optional,
                @Headers Map<String, String> all,
                ShmRequestContext context) {
            return priority + "/" + optional + "/"
                    + all.keySet().stream().sorted().toList() + "/" + context.route();
        }

        @ShmHandler("caller")
        long caller(Caller caller, String text) {
            return caller.pid() + text.length();
        }

        @ShmHandler("stock")
        String stock(String item) {
            throw new OutOfStockException("no " + item);
        }

        @ShmHandler("find")
        String find(String id) {
            throw new OrderNotFoundException("no order " + id);
        }

        @ShmHandler("async")
        CompletableFuture<String> async(String text) {
            return CompletableFuture.supplyAsync(text::toUpperCase);
        }

        @ShmHandler("async.fail")
        CompletableFuture<String> asyncFail(String text) {
            return CompletableFuture.failedFuture(new OrderNotFoundException("later " + text));
        }

        @ShmHandler("mono")
        Mono<List<String>> mono(String text) {
            return Mono.just(List.of(text, text));
        }

        @MessageExceptionHandler
        String outOfStock(OutOfStockException ex, ShmRequestContext context) {
            return "backorder(" + ex.getMessage() + ") on " + context.route();
        }
    }

    @ShmHandlerAdvice
    @Order(1)
    static class ErrorAdvice {

        @MessageExceptionHandler
        ShmError notFound(OrderNotFoundException ex) {
            return new ShmError("ORDER_NOT_FOUND", ex.getMessage());
        }
    }

    static class CallerResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Caller.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return new Caller(message.getHeaders().get("pid-override") instanceof String pid ? Long.parseLong(pid) : 0);
        }
    }

    private ApplicationContextRunner withHandlers() {
        return runner.withBean("handlers", Handlers.class)
                .withBean(ErrorAdvice.class)
                .withBean(LocalValidatorFactoryBean.class);
    }

    private static ShmHandlerDispatcher dispatcher(ApplicationContext context) {
        ShmHandlerMethodFactory factory = new ShmHandlerMethodFactory(new JacksonShmCodec(MAPPER));
        factory.setValidator(
                context.getBeanProvider(LocalValidatorFactoryBean.class).getIfAvailable());
        factory.setCustomArgumentResolvers(List.of(new CallerResolver()));
        ShmHandlerDispatcher dispatcher = new ShmHandlerDispatcher(
                "test", context.getBean(ShmHandlerRegistry.class), factory, ObservationRegistry.NOOP, null);
        dispatcher.verify();
        return dispatcher;
    }

    private static String call(
            ShmHandlerDispatcher dispatcher, String route, Object payload, Map<String, String> headers)
            throws Exception {
        byte[] bytes = payload instanceof String text
                ? text.getBytes(StandardCharsets.UTF_8)
                : MAPPER.writeValueAsBytes(payload);
        TestShmResponse response = new TestShmResponse();
        dispatcher.handle(
                new TestShmRequest(route, bytes, headers, 4242, 7, System.currentTimeMillis() + 10_000), response);
        return response.text();
    }

    @Test
    void runWhenRouteHasPlaceholderShouldResolveIt() {
        withHandlers().run(context -> assertThat(
                        context.getBean(ShmHandlerRegistry.class).routes())
                .contains("shop.place")
                .doesNotContain("${app.route.prefix}.place"));
    }

    @Test
    void runWhenPayloadValidAndHeaderPresentShouldBindBoth() {
        withHandlers().run(context -> {
            String reply = call(dispatcher(context), "shop.place", new NewOrder("o-1", 2), Map.of("tenant", "acme"));
            assertThat(reply).isEqualTo("acme:o-1x2");
        });
    }

    @Test
    void runWhenPayloadInvalidShouldNameFieldAndConstraintAndNeverRunTheHandler() {
        withHandlers().run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context);
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> call(dispatcher, "shop.place", new NewOrder("", 0), Map.of("tenant", "acme")))
                    .satisfies(ex -> {
                        assertThat(ex.getRemoteMessage())
                                .contains("id must not be blank (NotBlank)")
                                .contains("quantity must be greater than 0 (Positive)");
                        assertThat(ex.getRemoteType()).endsWith("MethodArgumentNotValidException");
                    });
            assertThat(context.getBean(Handlers.class).placed).hasValue(0);
        });
    }

    @Test
    void runWhenRequiredHeaderMissingShouldFailNamingTheHeader() {
        withHandlers().run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context);
            assertThatExceptionOfType(Exception.class)
                    .isThrownBy(() -> call(dispatcher, "shop.place", new NewOrder("o-1", 1), Map.of()))
                    .withMessageContaining("Missing header 'tenant'");
            assertThat(context.getBean(Handlers.class).placed).hasValue(0);
        });
    }

    @Test
    void runWhenHeadersAnnotatedShouldConvertDefaultAndCollectThem() {
        withHandlers().run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context);
            assertThat(call(dispatcher, "headers", "", Map.of("priority", "9", "traceparent", "t")))
                    .isEqualTo("9/null/[priority, traceparent]/headers");
            assertThat(call(dispatcher, "headers", "", Map.of("optional", "yes")))
                    .isEqualTo("5/yes/[optional]/headers");
        });
    }

    @Test
    void runWhenCustomResolverAddedShouldBindItsParameter() {
        withHandlers()
                .run(context -> assertThat(call(dispatcher(context), "caller", "abc", Map.of("pid-override", "40")))
                        .isEqualTo("43"));
    }

    @Test
    void runWhenBeanHasExceptionHandlerShouldReplyWithItsValue() {
        withHandlers().run(context -> assertThat(call(dispatcher(context), "stock", "apples", Map.of()))
                .isEqualTo("backorder(no apples) on stock"));
    }

    @Test
    void runWhenAdviceMapsExceptionShouldSendErrorCode() {
        withHandlers().run(context -> assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> call(dispatcher(context), "find", "42", Map.of()))
                .satisfies(ex -> {
                    assertThat(ex.errorCode()).isEqualTo("ORDER_NOT_FOUND");
                    assertThat(ex.getRemoteMessage()).isEqualTo("no order 42");
                    assertThat(ex.getRemoteType()).isEqualTo(OrderNotFoundException.class.getName());
                }));
    }

    @Test
    void runWhenHandlerReturnsFutureShouldReplyWithItsValue() {
        withHandlers().run(context -> {
            ShmHandlerDispatcher dispatcher = dispatcher(context);
            assertThat(call(dispatcher, "async", "abc", Map.of())).isEqualTo("ABC");
            assertThat(call(dispatcher, "mono", "x", Map.of())).isEqualTo("[\"x\",\"x\"]");
        });
    }

    @Test
    void runWhenFutureFailsShouldMapTheFailureThroughTheAdvice() {
        withHandlers().run(context -> assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> call(dispatcher(context), "async.fail", "x", Map.of()))
                .satisfies(ex -> assertThat(ex.errorCode()).isEqualTo("ORDER_NOT_FOUND")));
    }

    static class MultiValueHandler {

        @ShmHandler("flux")
        reactor.core.publisher.Flux<String> flux() {
            return reactor.core.publisher.Flux.just("a");
        }
    }

    @Test
    void runWhenHandlerReturnsStreamShouldFailNamingBeanAndMethod() {
        runner.withBean("multi", MultiValueHandler.class)
                .run(context -> assertThatExceptionOfType(ShmHandlerDefinitionException.class)
                        .isThrownBy(() -> dispatcher(context))
                        .withMessageContaining("multi.flux()")
                        .withMessageContaining("return Mono"));
    }
}

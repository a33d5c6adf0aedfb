package io.shmipc.spring;

import io.shmipc.testing.TestPayloads;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one handler bean the Spring tests serve (dispatch, auto-configuration, and the server JVM of
 * the cross-process tests): a route for every payload kind, the request context, a failure and a
 * handler that waits. Register it with {@link Config} (bean name {@code testHandlers}).
 */
public class TestHandlers {

    /** The header {@code upper} records and {@code header} returns. */
    public static final String TRACE_HEADER = "test-trace";

    /** Counted down by the test to let {@code slow} return. */
    public final CountDownLatch release = new CountDownLatch(1);

    /** The {@value #TRACE_HEADER} header of the last {@code upper} request (null when absent). */
    public final AtomicReference<String> seenHeader = new AtomicReference<>();

    @ShmHandler("orders.place")
    Receipt place(Order order) {
        return TestPayloads.receiptFor(order);
    }

    @ShmHandler("orders.list")
    List<Order> list(List<Order> orders) {
        return orders;
    }

    @ShmHandler("echo.text")
    String echo(String text, ShmRequestContext context) {
        return text + "/" + context.route() + "/" + context.clientPid() + "/"
                + context.headers().get("h");
    }

    @ShmHandler("upper")
    String upper(String text, ShmRequestContext context) {
        seenHeader.set(context.headers().get(TRACE_HEADER));
        return text.toUpperCase();
    }

    @ShmHandler("header")
    String header(ShmRequestContext context) {
        return context.headers().getOrDefault(TRACE_HEADER, "none") + "@" + context.clientPid();
    }

    @ShmHandler("echo.bytes")
    byte[] reverse(byte[] bytes) {
        return TestPayloads.reverse(bytes);
    }

    @ShmHandler("echo.buffer")
    ByteBuffer buffer(ByteBuffer buffer) {
        if (!buffer.isReadOnly()) {
            throw new IllegalStateException("the request buffer must be read-only");
        }
        return buffer;
    }

    @ShmHandler("pid")
    long pid() {
        return ProcessHandle.current().pid();
    }

    @ShmHandler("fire")
    void fire() {}

    @ShmHandler("fail")
    String fail(String text) {
        throw new IllegalStateException("broken: " + text);
    }

    @ShmHandler("slow")
    String slow(String text) throws InterruptedException {
        release.await(60, TimeUnit.SECONDS);
        return text;
    }

    /** Registers {@link TestHandlers} as bean {@code testHandlers}. */
    @Configuration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        TestHandlers testHandlers() {
            return new TestHandlers();
        }
    }
}

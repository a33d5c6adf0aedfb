package io.shmipc.grpc;

import io.shmipc.spring.ShmError;
import io.shmipc.spring.ShmHandler;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * A server for the cross-process gRPC tests: the same handlers serve shared memory and gRPC. Prints
 * {@code READY} once both listen.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class GrpcAgentApp {

    public static void main(String[] args) {
        SpringApplication.run(GrpcAgentApp.class, args);
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    /** Thrown by the "fail" route; mapped to an application error code. */
    static class OutOfStockException extends RuntimeException {
        OutOfStockException(String message) {
            super(message);
        }
    }

    @Component
    static class AgentHandlers {

        @Value("${agent.instance}")
        private String instance;

        @ShmHandler("whoami")
        String whoami() {
            return instance;
        }

        @ShmHandler("echo")
        String echo(String text) {
            return text;
        }

        @ShmHandler("order")
        Receipt order(Order order) {
            return new Receipt(order.id(), order.quantity() * 10);
        }

        @ShmHandler("tenant")
        String tenant(@Header("tenant") String tenant) {
            return "tenant=" + tenant;
        }

        @ShmHandler("fail")
        String fail(String item) {
            throw new OutOfStockException("no " + item + " left");
        }

        @ShmHandler("slow")
        String slow(String millis) throws InterruptedException {
            Thread.sleep(Long.parseLong(millis));
            return "slept " + millis;
        }

        @ShmHandler("deadline")
        String deadline(io.shmipc.spring.ShmRequestContext context) {
            return context.deadline() == null
                    ? "none"
                    : Long.toString(context.deadline().toEpochMilli() - System.currentTimeMillis());
        }

        /** The W3C trace context as it arrived, or {@code none}. */
        @ShmHandler("traceparent")
        String traceparent(@Header(name = "traceparent", required = false) String traceparent) {
            return traceparent == null ? "none" : traceparent;
        }

        @MessageExceptionHandler
        ShmError outOfStock(OutOfStockException ex) {
            return new ShmError("OUT_OF_STOCK", ex.getMessage());
        }
    }
}

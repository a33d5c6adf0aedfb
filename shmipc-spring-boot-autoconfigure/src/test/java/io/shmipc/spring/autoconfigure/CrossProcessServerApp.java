package io.shmipc.spring.autoconfigure;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmRequestContext;
import io.shmipc.spring.TestPayloads;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server side of {@link ShmCrossProcessTests}, run in its own JVM. Prints {@link #READY} once it
 * serves, and stops gracefully when its standard input closes, so it never outlives the test.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, ShmAutoConfiguration.class})
public class CrossProcessServerApp {

    static final String READY = "SHMIPC-SERVER-READY";
    static final String STOPPED = "SHMIPC-SERVER-STOPPED";

    /** A JSON request. */
    public record Person(String name, int age) {}

    /** A JSON reply. */
    public record Greeting(String text, long serverPid) {}

    static class Handlers {

        @ShmHandler("greet")
        Greeting greet(Person person) {
            return new Greeting(
                    "Hello " + person.name() + ", " + person.age(),
                    ProcessHandle.current().pid());
        }

        @ShmHandler("reverse")
        byte[] reverse(byte[] bytes) {
            return TestPayloads.reverse(bytes);
        }

        @ShmHandler("upper")
        String upper(String text) {
            return text.toUpperCase();
        }

        @ShmHandler("header")
        String header(ShmRequestContext context) {
            return context.headers().getOrDefault("test-trace", "none") + "@" + context.clientPid();
        }

        @ShmHandler("boom")
        String boom(String text) {
            throw new UnsupportedOperationException("cannot " + text);
        }
    }

    @Bean
    Handlers handlers() {
        return new Handlers();
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CrossProcessServerApp.class)
                .web(WebApplicationType.NONE)
                .run(args);
        System.out.println(READY);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Wait for the test to close our standard input.
        }
        context.close();
        System.out.println(STOPPED);
        System.out.flush();
    }
}

package io.shmipc.spring.autoconfigure;

import io.shmipc.spring.TestHandlers;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The server side of {@link ShmCrossProcessTests}, run in its own JVM: serves {@link TestHandlers} and
 * {@link TypedPayloadHandlers}.
 * Prints {@link #READY} once it serves, and stops gracefully when its standard input closes, so it
 * never outlives the test.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, ShmAutoConfiguration.class})
@Import({TestHandlers.Config.class, TypedPayloadHandlers.class})
public class CrossProcessServerApp {

    static final String READY = "SHMIPC-SERVER-READY";
    static final String STOPPED = "SHMIPC-SERVER-STOPPED";

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

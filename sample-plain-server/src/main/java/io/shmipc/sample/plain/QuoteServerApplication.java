package io.shmipc.sample.plain;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shmipc server with no web server: only {@code spring-boot-starter-validation} and the shmipc starter.
 * It keeps running until stopped (SIGTERM drains requests, removes the region and exits with 0).
 */
@SpringBootApplication
public class QuoteServerApplication {

    /** @param args Spring Boot arguments, e.g. {@code --shmipc.name=quotes} */
    public static void main(String[] args) {
        SpringApplication.run(QuoteServerApplication.class, args);
    }
}

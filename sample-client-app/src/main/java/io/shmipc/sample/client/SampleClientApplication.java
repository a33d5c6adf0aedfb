package io.shmipc.sample.client;

import io.shmipc.spring.ImportShmServices;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A client of the sample monitoring agent: reports metric samples and queries aggregates through the
 * declarative {@link AgentClient}. With {@code sample.mode=batch} (the default) it sends
 * {@code sample.requests} requests, prints a latency summary and exits, non-zero if any request
 * failed; with {@code sample.mode=continuous} it keeps calling and prints a line a second until stopped.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleClientProperties.class)
@ImportShmServices(AgentClient.class)
public class SampleClientApplication {

    /**
     * Runs the client.
     *
     * @param args Spring Boot command-line arguments, e.g. {@code --shmipc.name=agent-1 --sample.requests=5000}
     */
    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SampleClientApplication.class, args);
        if (context.getBean(SampleClientProperties.class).mode() == SampleClientProperties.Mode.BATCH) {
            // The batch is done (it ran as an ApplicationRunner); its ExitCodeGenerator reports failures.
            System.exit(SpringApplication.exit(context));
        }
    }
}

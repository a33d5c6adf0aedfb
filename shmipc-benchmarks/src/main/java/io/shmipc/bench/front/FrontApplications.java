package io.shmipc.bench.front;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two processes of the front scenario (issue 12): a Spring MVC front on Tomcat whose {@code /call}
 * endpoint calls a local agent through {@link ShmTemplate}, and whose {@code /ping} endpoint makes no
 * shmipc call at all; and the agent, whose handler sleeps as a call to a slow dependency would.
 */
public final class FrontApplications {

    static final String ROUTE = "work";

    private FrontApplications() {}

    /** The agent: one handler that sleeps, then echoes. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class Agent {
        private static long sleepMillis;

        @ShmHandler(ROUTE)
        public byte[] work(byte[] request) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(sleepMillis);
            return request;
        }
    }

    /** The front: {@code /call} goes through shmipc to the agent, {@code /ping} answers at once. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @RestController
    public static class Front {
        private final ShmTemplate template;

        public Front(ShmTemplate template) {
            this.template = template;
        }

        @GetMapping("/call")
        public byte[] call() {
            return template.call(ROUTE, new byte[64]);
        }

        @GetMapping("/ping")
        public String ping() {
            return "pong";
        }
    }

    /**
     * Starts the agent. By default server concurrency and slots are set well above the 50 concurrent
     * calls, so the agent's own limits are not what is measured; with {@code concurrency} 0 the agent
     * keeps shmipc's defaults (issue 11's "with default settings" goal).
     *
     * @param name the shmipc name
     * @param sleepMillis how long the handler sleeps
     * @param concurrency requests the agent runs at once, or 0 for shmipc's default settings
     */
    static ConfigurableApplicationContext agent(String name, long sleepMillis, int concurrency) {
        Agent.sleepMillis = sleepMillis;
        List<String> properties = new ArrayList<>(List.of(
                "shmipc.name=" + name, "shmipc.role=server", "spring.main.banner-mode=off", "logging.level.root=WARN"));
        if (concurrency > 0) {
            properties.addAll(List.of(
                    "shmipc.server.slots=" + Math.max(64, concurrency),
                    "shmipc.server.slot-size=64KB",
                    "shmipc.server.concurrency=" + concurrency));
        }
        return new SpringApplicationBuilder(Agent.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    /**
     * Starts the front.
     *
     * @param name the shmipc name of the agent
     * @param port HTTP port
     * @param virtual {@code spring.threads.virtual.enabled}
     */
    static ConfigurableApplicationContext front(String name, int port, boolean virtual) {
        return new SpringApplicationBuilder(Front.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "shmipc.name=" + name,
                        "shmipc.role=client",
                        "shmipc.client.timeout=10s",
                        "server.port=" + port,
                        "server.address=127.0.0.1",
                        "spring.threads.virtual.enabled=" + virtual,
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .run();
    }
}

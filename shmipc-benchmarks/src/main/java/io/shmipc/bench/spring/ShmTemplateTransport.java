package io.shmipc.bench.spring;

import io.shmipc.bench.transport.Caller;
import io.shmipc.bench.transport.Transport;
import io.shmipc.spring.ShmTemplate;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * shmipc as applications use it: {@link ShmTemplate} in a Boot client calling an {@code @ShmHandler}
 * method in a Boot server, in hybrid wait mode (the default). Either raw bytes, or a small record that
 * goes through the JSON codec both ways. Slots are 2 MiB so a 1 MiB payload still fits once wrapped in JSON.
 */
final class ShmTemplateTransport implements Transport {

    /** One Boot client context per JVM, shared by all caller threads, as an app shares its template. */
    private static ConfigurableApplicationContext clientContext;

    private final boolean json;

    ShmTemplateTransport(boolean json) {
        this.json = json;
    }

    @Override
    public String id() {
        return json ? "shm-template-json" : "shm-template-bytes";
    }

    @Override
    public EndpointKind endpointKind() {
        return EndpointKind.SHM_NAME;
    }

    @Override
    public AutoCloseable startServer(String name) {
        return boot(name, "server");
    }

    @Override
    public Caller connect(String name) {
        ShmTemplate template = sharedClient(name).getBean(ShmTemplate.class);
        if (json) {
            return request -> {
                ShmEchoApplication.Message reply = template.call(
                        ShmEchoApplication.JSON_ROUTE,
                        new ShmEchoApplication.Message(request.length, asText(request)),
                        ShmEchoApplication.Message.class);
                return reply.text().getBytes(StandardCharsets.US_ASCII);
            };
        }
        return request -> template.call(ShmEchoApplication.BYTES_ROUTE, request);
    }

    /** Letters only, so the JSON text is as long as the payload and needs no escapes. */
    private static String asText(byte[] payload) {
        byte[] letters = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            letters[i] = (byte) ('a' + (payload[i] & 0x0F));
        }
        return new String(letters, StandardCharsets.US_ASCII);
    }

    private static synchronized ConfigurableApplicationContext sharedClient(String name) {
        if (clientContext == null) {
            clientContext = boot(name, "client");
        }
        return clientContext;
    }

    private static ConfigurableApplicationContext boot(String name, String role) {
        return new SpringApplicationBuilder(ShmEchoApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "shmipc.name=" + name,
                        "shmipc.role=" + role,
                        "shmipc.server.slots=8",
                        "shmipc.server.slot-size=2MB",
                        "shmipc.wait.mode=hybrid",
                        "shmipc.client.timeout=10s",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .run();
    }
}

package io.shmipc.bench.spring;

import io.shmipc.bench.transport.Caller;
import io.shmipc.bench.transport.Transport;
import io.shmipc.spring.ShmTemplate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * shmipc as applications use it: {@link ShmTemplate} in a Boot client calling an {@code @ShmHandler}
 * method in a Boot server, in hybrid wait mode (the default). Either raw bytes (and, as the zero-copy
 * path, a direct {@link ByteBuffer} in with the reply read in place), or a small record through the
 * codec both ways, in the encoding {@code shmipc.codec} selects. Slots are 2 MiB so a 1 MiB payload
 * still fits once wrapped in JSON.
 */
final class ShmTemplateTransport implements Transport {

    /** What goes through the template. */
    enum Payload {
        BYTES("bytes", null),
        JSON("json", "json"),
        CBOR("cbor", "cbor"),
        /**
         * Raw bytes through the same template, carried by shmipc-grpc instead of shared memory: the
         * {@code ShmGrpcTransport} client over a TCP loopback channel to {@code ShmGrpcService} serving the
         * server's {@code @ShmHandler} dispatcher. The cost of {@code shmipc.client.transport=grpc}.
         */
        GRPC("grpc", null);

        final String id;
        final String codec;

        Payload(String id, String codec) {
            this.id = id;
            this.codec = codec;
        }
    }

    /** A codec path has Jackson's code to compile on both sides, and compiles it late when calls are slow. */
    private static final long CODEC_WARMUP_MIN_MILLIS = 3_000;

    /** One Boot client context per JVM, shared by all caller threads, as an app shares its template. */
    private static ConfigurableApplicationContext clientContext;

    private final Payload payload;

    ShmTemplateTransport(Payload payload) {
        this.payload = payload;
    }

    @Override
    public String id() {
        return "shm-template-" + payload.id;
    }

    @Override
    public boolean manyCallers() {
        return true;
    }

    @Override
    public EndpointKind endpointKind() {
        return payload == Payload.GRPC ? EndpointKind.TCP_PORT : EndpointKind.SHM_NAME;
    }

    @Override
    public boolean zeroCopy() {
        return payload == Payload.BYTES;
    }

    @Override
    public long warmupMinMillis() {
        return payload.codec == null ? 0 : CODEC_WARMUP_MIN_MILLIS;
    }

    @Override
    public AutoCloseable startServer(String endpoint) throws Exception {
        if (payload == Payload.GRPC) {
            return ShmTemplateGrpc.startServer(boot(ShmTemplateGrpc.name(endpoint), "server", payload), endpoint);
        }
        return boot(endpoint, "server", payload);
    }

    @Override
    public Caller connect(String endpoint) {
        ShmTemplate template = sharedClient(endpoint, payload).getBean(ShmTemplate.class);
        return payload.codec == null ? new BytesCaller(template) : new MessageCaller(template);
    }

    /** byte[] both ways; zero-copy: a direct buffer in, copied once into the slot, the reply read in place. */
    private static final class BytesCaller implements Caller {
        private final ShmTemplate template;
        /** Stands for data the application already holds off-heap, e.g. a mapped file or a network buffer. */
        private final ByteBuffer source = ByteBuffer.allocateDirect(1 << 20);

        BytesCaller(ShmTemplate template) {
            this.template = template;
        }

        @Override
        public byte[] call(byte[] request) {
            return template.call(ShmEchoApplication.BYTES_ROUTE, request);
        }

        @Override
        public long callZeroCopy(int size) {
            return template.call(
                    ShmEchoApplication.BUFFER_ROUTE,
                    source.clear().limit(size),
                    reply -> reply.remaining() + reply.get(reply.remaining() - 1));
        }
    }

    /**
     * A record with a text as long as the payload. The record is made once per payload, as an application
     * has its object before it calls; the round trip is the encode, the call and the decode.
     */
    private static final class MessageCaller implements Caller {
        private final ShmTemplate template;
        private byte[] lastRequest;
        private ShmEchoApplication.Message message;

        MessageCaller(ShmTemplate template) {
            this.template = template;
        }

        private ShmEchoApplication.Message messageFor(byte[] request) {
            if (request != lastRequest) {
                lastRequest = request;
                message = new ShmEchoApplication.Message(request.length, asText(request));
            }
            return message;
        }

        @Override
        public long echo(byte[] request) {
            ShmEchoApplication.Message reply = template.call(
                    ShmEchoApplication.MESSAGE_ROUTE, messageFor(request), ShmEchoApplication.Message.class);
            if (reply.text().length() != request.length) {
                throw new IllegalStateException("echo of " + request.length + " characters came back as "
                        + reply.text().length());
            }
            return reply.id();
        }

        @Override
        public byte[] call(byte[] request) {
            ShmEchoApplication.Message reply = template.call(
                    ShmEchoApplication.MESSAGE_ROUTE, messageFor(request), ShmEchoApplication.Message.class);
            return reply.text().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Letters only, so the JSON text is as long as the payload and needs no escapes. */
    private static String asText(byte[] payload) {
        byte[] letters = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            letters[i] = (byte) ('a' + (payload[i] & 0x0F));
        }
        return new String(letters, StandardCharsets.US_ASCII);
    }

    private static synchronized ConfigurableApplicationContext sharedClient(String endpoint, Payload payload) {
        if (clientContext == null) {
            clientContext = payload == Payload.GRPC
                    ? boot(ShmTemplateGrpc.name(endpoint), "client", payload, ShmTemplateGrpc.client(endpoint))
                    : boot(endpoint, "client", payload);
        }
        return clientContext;
    }

    private static ConfigurableApplicationContext boot(String name, String role, Payload payload) {
        return boot(name, role, payload, context -> {});
    }

    private static ConfigurableApplicationContext boot(
            String name,
            String role,
            Payload payload,
            ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        return new SpringApplicationBuilder(ShmEchoApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(initializer)
                .properties(
                        "shmipc.name=" + name,
                        "shmipc.role=" + role,
                        "shmipc.server.slots=8",
                        "shmipc.server.slot-size=2MB",
                        "shmipc.wait.mode=hybrid",
                        "shmipc.client.timeout=10s",
                        // The one-property switch between JSON and a binary encoding.
                        "shmipc.codec=" + (payload.codec == null ? "json" : payload.codec.toLowerCase(Locale.ROOT)),
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .run();
    }
}

package io.shmipc.spring.test;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.spring.ShmClientRequest;
import io.shmipc.spring.ShmClientResponse;
import io.shmipc.spring.ShmCodec;
import io.shmipc.spring.ShmPayloads;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.ShmTransport;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Stands in for the server of a {@link ShmTemplate} in client-only tests, like Spring's
 * {@code MockRestServiceServer}: bound to the template, it expects calls in order, checks their routes,
 * payloads and headers, and answers them in process. Payloads cross the template's real codec both ways
 * and failures are the engine's real exception types, so what works here works against a real server
 * (no second JVM, no shared memory). Expectations run in order, each once; thread-safe.
 *
 * <pre>{@code
 * MockShmServer server = MockShmServer.bindTo(shmTemplate);
 * server.expect("orders.place")
 *         .withPayload(new Order("o-1", 2))
 *         .withHeader("tenant", "t1")
 *         .andRespond(ShmResponseEntity.of(new Receipt("o-1", 20)).withHeader("region", "eu"));
 * server.expect("orders.find").andRespondWithError(new IllegalStateException("gone"));
 *
 * checkout.run();      // calls through the template (or a declarative client on it)
 * server.verify();     // every expectation was met
 * }</pre>
 */
public final class MockShmServer {

    /** The slot capacity a server has unless configured otherwise ({@code shmipc.server.slot-size}). */
    public static final int DEFAULT_CAPACITY = 64 * 1024;

    private final ShmTemplate template;
    private final ShmTransport previous;
    private final Deque<Expectation> expectations = new ArrayDeque<>();
    private final List<String> failures = new ArrayList<>();
    private int capacity = DEFAULT_CAPACITY;

    private MockShmServer(ShmTemplate template) {
        this.template = template;
        this.previous = template.getTransport();
        template.setTransport(this::exchange);
    }

    /**
     * Binds a mock server to a template: from now on its calls are answered here.
     *
     * @param template the template (for example the auto-configured bean, or the one under a declarative client)
     * @return the mock server
     */
    public static MockShmServer bindTo(ShmTemplate template) {
        return new MockShmServer(Objects.requireNonNull(template, "template"));
    }

    /**
     * @param capacity the largest request or reply, in bytes; larger ones fail with
     *     {@link ShmPayloadTooLargeException} as on a real server ({@value #DEFAULT_CAPACITY} by default)
     * @return this server
     */
    public MockShmServer capacity(int capacity) {
        this.capacity = capacity;
        return this;
    }

    /**
     * Expects one call of a route, after those already expected.
     *
     * @param route the route
     * @return the expectation, to add checks and the answer
     */
    public synchronized Expectation expect(String route) {
        Expectation expectation = new Expectation(Objects.requireNonNull(route, "route"));
        expectations.add(expectation);
        return expectation;
    }

    /**
     * @throws AssertionError when an expected call did not come, or a call did not match
     */
    public synchronized void verify() {
        List<String> problems = new ArrayList<>(failures);
        for (Expectation expectation : expectations) {
            problems.add("expected a call of route '" + expectation.route + "', none came");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("MockShmServer: " + String.join("; ", problems));
        }
    }

    /** Forgets every expectation and failure; the server stays bound. */
    public synchronized void reset() {
        expectations.clear();
        failures.clear();
    }

    /** Gives the template its previous transport back. */
    public void unbind() {
        template.setTransport(previous);
    }

    private ShmClientResponse exchange(ShmClientRequest request) {
        if (request.body().length > capacity) {
            throw new ShmPayloadTooLargeException("request", request.body().length, capacity);
        }
        Expectation expectation;
        synchronized (this) {
            expectation = expectations.poll();
            if (expectation == null) {
                return fail("no further calls expected, got " + request);
            }
        }
        if (!expectation.route.equals(request.route())) {
            return fail("expected a call of route '" + expectation.route + "', got " + request);
        }
        for (Consumer<ShmClientRequest> check : expectation.checks) {
            try {
                check.accept(request);
            } catch (AssertionError ex) {
                return fail(Objects.toString(ex.getMessage(), "a check of the request failed"));
            }
        }
        if (expectation.answer == null) {
            return fail(
                    "the expectation for route '" + expectation.route + "' has no answer; end it with andRespond...");
        }
        ShmClientResponse reply = expectation.answer.apply(request);
        if (reply.body().length > capacity) {
            throw new ShmPayloadTooLargeException("reply", reply.body().length, capacity);
        }
        return reply;
    }

    private synchronized ShmClientResponse fail(String message) {
        failures.add(message);
        throw new AssertionError("MockShmServer: " + message);
    }

    private ShmClientResponse encodeReply(ShmResponseEntity<?> entity) {
        return new ShmClientResponse(ShmPayloads.encode(entity.body(), codec()), new LinkedHashMap<>(entity.headers()));
    }

    private @Nullable ShmCodec codec() {
        return template.getCodec();
    }

    /** One expected call: checks on it, then its answer. */
    public final class Expectation {

        private final String route;
        private final List<Consumer<ShmClientRequest>> checks = new ArrayList<>();
        private @Nullable Function<ShmClientRequest, ShmClientResponse> answer;

        private Expectation(String route) {
            this.route = route;
        }

        /**
         * Expects a payload equal to {@code expected} once decoded through the template's codec as
         * {@code expected}'s class ({@code byte[]} compared by content; {@code null} for an empty payload).
         *
         * @param expected the payload the call should carry
         * @return this expectation
         */
        public Expectation withPayload(@Nullable Object expected) {
            checks.add(request -> {
                Object actual = expected == null
                        ? (request.body().length == 0 ? null : request.body())
                        : ShmPayloads.decode(request.body(), expected.getClass(), codec());
                boolean equal = expected instanceof byte[] bytes
                        ? actual instanceof byte[] other && Arrays.equals(bytes, other)
                        : Objects.equals(expected, actual);
                if (!equal) {
                    throw new AssertionError("route '" + route + "': expected payload " + describe(expected) + ", got "
                            + describe(actual));
                }
            });
            return this;
        }

        /**
         * Decodes the payload through the template's codec and hands it to {@code assertions}.
         *
         * @param type the payload type, possibly generic
         * @param assertions throws {@link AssertionError} when the payload is wrong
         * @param <T> the payload type
         * @return this expectation
         */
        @SuppressWarnings("unchecked")
        public <T> Expectation withPayload(ParameterizedTypeReference<T> type, Consumer<T> assertions) {
            checks.add(request -> assertions.accept((T) ShmPayloads.decode(request.body(), type.getType(), codec())));
            return this;
        }

        /**
         * @param name a header the call should carry
         * @param value its value
         * @return this expectation
         */
        public Expectation withHeader(String name, String value) {
            checks.add(request -> {
                String actual = request.headers().get(name);
                if (!value.equals(actual)) {
                    throw new AssertionError("route '" + route + "': expected header " + name + "=" + value
                            + ", got " + (actual == null ? "none" : name + "=" + actual) + " among "
                            + request.headers());
                }
            });
            return this;
        }

        /**
         * Answers with a value encoded through the template's codec ({@code null} for an empty reply), or
         * with a {@link ShmResponseEntity}'s body and reply headers, as a handler returning one does.
         *
         * @param reply the reply
         * @throws IllegalArgumentException when a reply header cannot be encoded
         */
        public void andRespond(Object reply) {
            ShmResponseEntity<?> entity = reply instanceof ShmResponseEntity<?> e ? e : ShmResponseEntity.of(reply);
            entity.headers().forEach(ShmClient::checkHeader);
            answer = request -> encodeReply(entity);
        }

        /**
         * Answers with whatever {@code responder} computes from the call (its payload decoded as {@code type}).
         *
         * @param type the request payload type
         * @param responder computes the reply (encoded through the codec) from the request payload
         * @param <T> the request payload type
         */
        @SuppressWarnings("unchecked")
        public <T> void andRespond(Type type, Function<@Nullable T, ?> responder) {
            answer = request -> {
                Object reply = responder.apply((T) ShmPayloads.decode(request.body(), type, codec()));
                return encodeReply(reply instanceof ShmResponseEntity<?> e ? e : ShmResponseEntity.of(reply));
            };
        }

        /**
         * Fails the call as a handler throwing {@code error} does: a {@link ShmRemoteException} with the
         * error's class name and message.
         *
         * @param error what the handler threw
         */
        public void andRespondWithError(Throwable error) {
            andRespondWithError(error.getClass().getName(), error.getMessage() == null ? "" : error.getMessage(), null);
        }

        /**
         * Fails the call with a {@link ShmRemoteException}, as a server's error mapping with a code does.
         *
         * @param remoteType the remote exception's class name
         * @param message its message
         * @param errorCode the application error code, or {@code null}
         */
        public void andRespondWithError(String remoteType, String message, @Nullable String errorCode) {
            answer = request -> {
                throw new ShmRemoteException(request.route(), remoteType, message, errorCode);
            };
        }

        /** Fails the call as a server without a handler for the route does. */
        public void andRespondNoHandler() {
            answer = request -> {
                throw new ShmNoHandlerException(request.route());
            };
        }

        /**
         * Fails the call as a timeout does, after the server had started it (so its outcome is unknown);
         * the template's timeout listeners hear of it.
         */
        public void andRespondTimeout() {
            answer = request -> {
                throw new ShmTimeoutException(
                        "no reply from MockShmServer within " + request.timeout() + "; the outcome is unknown", true);
            };
        }
    }

    private static String describe(@Nullable Object value) {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
    }
}

package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With a real tracer (Brave, through Micrometer Tracing) on the observations, the server span is a
 * child of the client span: the trace context is written into the slot's headers by the client and
 * read back from shared memory by the server.
 */
class ShmTracingTests {

    @TempDir
    Path directory;

    @Test
    void runWhenTracingShouldMakeTheServerSpanAChildOfTheClientSpan() {
        List<MutableSpan> finished = new CopyOnWriteArrayList<>();
        try (Tracing tracing = Tracing.newBuilder()
                .currentTraceContext(ThreadLocalCurrentTraceContext.create())
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        finished.add(span);
                        return true;
                    }
                })
                .build()) {
            BraveTracer tracer = new BraveTracer(
                    tracing.tracer(),
                    new BraveCurrentTraceContext(tracing.currentTraceContext()),
                    new BraveBaggageManager());
            BravePropagator propagator = new BravePropagator(tracing);
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig()
                    .observationHandler(new FirstMatchingCompositeObservationHandler(
                            new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                            new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                            new DefaultTracingObservationHandler(tracer)));

            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(ShmAutoConfiguration.class))
                    .withPropertyValues(
                            "shmipc.name=shmipc-test-" + UUID.randomUUID(),
                            "shmipc.directory=" + directory,
                            "shmipc.wait.mode=block")
                    .withUserConfiguration(EchoConfig.class)
                    .withBean(ObservationRegistry.class, () -> registry)
                    .run(context -> {
                        assertThat(context.getBean(ShmTemplate.class).call("echo", "traced", String.class))
                                .isEqualTo("traced");

                        assertThat(finished).hasSize(2);
                        MutableSpan client = finished.stream()
                                .filter(span -> span.kind() == brave.Span.Kind.CLIENT
                                        || span.kind() == brave.Span.Kind.PRODUCER)
                                .findFirst()
                                .orElseThrow();
                        MutableSpan server = finished.stream()
                                .filter(span -> span.kind() == brave.Span.Kind.SERVER
                                        || span.kind() == brave.Span.Kind.CONSUMER)
                                .findFirst()
                                .orElseThrow();
                        assertThat(client.traceId()).isNotBlank();
                        assertThat(server.traceId()).isEqualTo(client.traceId());
                        assertThat(server.parentId()).isEqualTo(client.id());
                        assertThat(server.id()).isNotEqualTo(client.id());
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoConfig {

        @Bean
        EchoHandler echoHandler() {
            return new EchoHandler();
        }
    }

    static class EchoHandler {

        @ShmHandler("echo")
        String echo(String text) {
            return text;
        }
    }
}

package io.shmipc.sample.client;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the sample client does ({@code sample.*}).
 *
 * @param mode {@code batch}: send {@code requests} requests and exit; {@code continuous}: call until stopped
 * @param requests timed requests of a batch, spread over the threads
 * @param warmup longest warm-up before a batch; it ends earlier, once latency has levelled off, so the
 *     figures show compiled code on both sides
 * @param httpUrl the agent's HTTP base URL (e.g. {@code http://localhost:8081}); when set, a batch also
 *     sends the same request mix over HTTP to the agent's {@code /agent/<route>} endpoints and prints both
 * @param threads calling threads
 * @param printReplies replies printed per route, to show what comes back
 * @param pause continuous mode: pause of each thread between calls, to keep CPU use modest
 * @param source the source name reported samples carry; empty means {@code client-<pid>}
 */
@ConfigurationProperties("sample")
public record SampleClientProperties(
        @DefaultValue("batch") Mode mode,
        @DefaultValue("10000") int requests,
        @DefaultValue("20s") Duration warmup,
        @DefaultValue("1") int threads,
        @DefaultValue("2") int printReplies,
        @DefaultValue("5ms") Duration pause,
        @DefaultValue("") String source,
        @DefaultValue("") String httpUrl) {

    /** Checks values that would otherwise fail later and less clearly. */
    public SampleClientProperties {
        if (requests < 1 || warmup.isNegative() || threads < 1 || printReplies < 0 || pause.isNegative()) {
            throw new IllegalArgumentException("sample.requests and sample.threads must be positive; sample.warmup,"
                    + " sample.print-replies and sample.pause must not be negative");
        }
        if (source.isBlank()) {
            source = "client-" + ProcessHandle.current().pid();
        }
    }

    /** How long the client runs. */
    public enum Mode {
        /** A fixed number of requests, a summary, and exit. */
        BATCH,
        /** Calls until stopped, a line of counts per second. */
        CONTINUOUS
    }
}

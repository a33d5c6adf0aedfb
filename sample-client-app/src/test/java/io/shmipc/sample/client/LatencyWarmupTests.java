package io.shmipc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warm-up's rule, fed synthetic slices: no timing, so it holds on a loaded machine. */
class LatencyWarmupTests {

    private static final long SLICE = LatencyWarmup.SLICE_NANOS;
    private static final long MIN = Duration.ofSeconds(1).toNanos();

    /**
     * The shape of the demo's last run before this rule: the mix ran at about 590 us a call for seconds while
     * the JIT compiled its JSON path, then fell to about 73 us. Latency alone called the plateau level.
     */
    @Test
    void aPlateauWhileTheJitCompilesIsNotSteadyButTheLevelAfterTheFallIs() {
        LatencyWarmup.Judge latencyOnly = new LatencyWarmup.Judge(MIN);
        LatencyWarmup.Judge withJit = new LatencyWarmup.Judge(MIN);
        int slice = 0;
        int latencyOnlySteadyAt = -1;
        int withJitSteadyAt = -1;
        for (; slice < 40; slice++) {
            long median = slice < 30 ? 590_000 : 73_000;
            // During the plateau a compile finishes in the agent every third slice, and the one that makes the
            // mix fast finishes in the slice where latency falls; after that, none.
            String compiling = (slice < 30 && slice % 3 == 0) || slice == 30 ? "agent" : null;
            long elapsed = (slice + 1) * SLICE;
            if (latencyOnly.slice(median, null, elapsed) && latencyOnlySteadyAt < 0) {
                latencyOnlySteadyAt = slice;
            }
            if (withJit.slice(median, compiling, elapsed) && withJitSteadyAt < 0) {
                withJitSteadyAt = slice;
            }
        }
        // Latency alone ends the warm-up on the plateau, as the old rule did.
        assertThat(latencyOnlySteadyAt).isBetween(0, 29);
        // With the JIT watched, only once the fall has levelled off: the windows must stop falling and then
        // hold, quiet, for three slices.
        assertThat(withJitSteadyAt).isGreaterThanOrEqualTo(30 + LatencyWarmup.WINDOW + LatencyWarmup.STEADY_SLICES - 1);
    }

    @Test
    void latencyThatStillFallsIsNotSteadyWhileTheJitIsQuiet() {
        LatencyWarmup.Judge judge = new LatencyWarmup.Judge(MIN);
        long median = 1_000_000;
        for (int slice = 0; slice < 40; slice++) {
            median = median * 90 / 100;
            assertThat(judge.slice(median, null, (slice + 1) * SLICE)).isFalse();
        }
        assertThat(judge.why()).isEqualTo("latency still falling");
    }

    @Test
    void levelLatencyWithQuietJitsIsSteadyOnlyAfterTheMinimumTime() {
        LatencyWarmup.Judge judge = new LatencyWarmup.Judge(MIN);
        int steadyAt = -1;
        for (int slice = 0; slice < 20 && steadyAt < 0; slice++) {
            if (judge.slice(50_000, null, (slice + 1) * SLICE)) {
                steadyAt = slice;
            }
        }
        // Level from the first slice, but the rule needs two windows of history and the minimum time (ten slices).
        assertThat(steadyAt).isEqualTo((int) (MIN / SLICE) - 1);
    }

    @Test
    void aCompileInTheLastSlicesRestartsTheCountAndIsNamed() {
        LatencyWarmup.Judge judge = new LatencyWarmup.Judge(0);
        for (int slice = 0; slice < 2 * LatencyWarmup.WINDOW; slice++) {
            judge.slice(50_000, null, (slice + 1) * SLICE);
        }
        assertThat(judge.slice(50_000, "client", 7 * SLICE)).isFalse();
        assertThat(judge.why()).isEqualTo("the client JVM's JIT still compiling");
        assertThat(judge.slice(50_000, null, 8 * SLICE)).isFalse();
        assertThat(judge.slice(50_000, null, 9 * SLICE)).isFalse();
        assertThat(judge.slice(50_000, null, 10 * SLICE)).isTrue();
    }

    /** The loop itself: a JVM that never stops compiling keeps it going to the cap, and says so. */
    @Test
    void runReportsTheCapAndWhichJitsItCouldWatch() {
        AtomicLong ticking = new AtomicLong();
        CompileClock alwaysCompiling = CompileClock.of("agent", ticking::incrementAndGet);
        CompileClock unreadable = CompileClock.of("other", () -> CompileClock.UNKNOWN);
        AtomicLong calls = new AtomicLong();

        LatencyWarmup.Outcome outcome = LatencyWarmup.run(
                sequence -> calls.incrementAndGet(), 7, Duration.ofMillis(300), List.of(alwaysCompiling, unreadable));

        assertThat(outcome.levelled()).isFalse();
        assertThat(outcome.calls()).isEqualTo(calls.get()).isPositive();
        assertThat(outcome.judged()).isEqualTo("agent");
        assertThat(outcome.why()).isIn("latency still falling", "the agent JVM's JIT still compiling");
    }
}

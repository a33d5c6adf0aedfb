package io.shmipc.bench.harness;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one client process measured for one scenario in one round. Crosses the process boundary as
 * one text line with the histogram compressed and base64-encoded.
 *
 * @param scenario what was measured
 * @param calls completed round trips
 * @param elapsedNanos length of the measured window
 * @param clientCpuNanos CPU the client process used in the window
 * @param serverCpuNanos CPU the server process used in the window
 * @param histogram round-trip latencies in nanoseconds
 * @param note placement or other context, no spaces; "-" when none
 * @param stillWarming true when the call shape had not levelled off in its warm-up, or latency fell
 *     clearly during the window: the figures may be too high
 */
public record ScenarioResult(
        Scenario scenario,
        long calls,
        long elapsedNanos,
        long clientCpuNanos,
        long serverCpuNanos,
        Histogram histogram,
        String note,
        boolean stillWarming) {

    public static final String PREFIX = "RESULT";
    private static final String WARMING = "warming";
    private static final String STEADY = "steady";

    /** A result whose warm-up levelled off. */
    public ScenarioResult(
            Scenario scenario,
            long calls,
            long elapsedNanos,
            long clientCpuNanos,
            long serverCpuNanos,
            Histogram histogram,
            String note) {
        this(scenario, calls, elapsedNanos, clientCpuNanos, serverCpuNanos, histogram, note, false);
    }

    /** @return a histogram for round-trip nanoseconds up to a minute, at 3 significant digits */
    public static Histogram newHistogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    public String toLine() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        String encoded = Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
        return String.join(
                " ",
                PREFIX,
                scenario.token(),
                Long.toString(calls),
                Long.toString(elapsedNanos),
                Long.toString(clientCpuNanos),
                Long.toString(serverCpuNanos),
                note,
                stillWarming ? WARMING : STEADY,
                encoded);
    }

    public static ScenarioResult parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 9 || !f[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        try {
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(f[8])), 0);
            return new ScenarioResult(
                    Scenario.parse(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    Long.parseLong(f[5]),
                    histogram,
                    f[6],
                    f[7].equals(WARMING));
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt histogram in " + f[1], e);
        }
    }
}

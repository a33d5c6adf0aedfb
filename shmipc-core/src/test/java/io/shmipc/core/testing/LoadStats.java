package io.shmipc.core.testing;

import io.shmipc.testing.ChildJvm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One report line of {@link LoadClientMain}, parsed.
 *
 * @param at wall-clock milliseconds when the client printed it
 * @param errors failed calls by {@code ExceptionClass/known|unknown}
 */
public record LoadStats(
        boolean last,
        long at,
        long issued,
        long ok,
        long mismatched,
        long failed,
        long inflight,
        long oldestInflightMs,
        long maxWaitMs,
        long p50Us,
        long p99Us,
        long minThreadOk,
        Map<String, Long> errors) {

    /** @return the line parsed, or empty when it is not a STATS or FINAL line */
    public static Optional<LoadStats> parse(String line) {
        if (!line.startsWith("STATS at=") && !line.startsWith("FINAL at=")) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        String list = fields.get("errors");
        for (String entry : list.substring(1, list.length() - 1).split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                errors.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
            }
        }
        return Optional.of(new LoadStats(
                line.startsWith("FINAL"),
                n(fields, "at"),
                n(fields, "issued"),
                n(fields, "ok"),
                n(fields, "mismatched"),
                n(fields, "failed"),
                n(fields, "inflight"),
                n(fields, "oldestInflightMs"),
                n(fields, "maxWaitMs"),
                n(fields, "p50Us"),
                n(fields, "p99Us"),
                n(fields, "minThreadOk"),
                errors));
    }

    /** @return every report line the child printed so far, in order */
    public static List<LoadStats> of(ChildJvm client) {
        return client.lines().stream()
                .map(LoadStats::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    /** @return true when the books balance: every issued call is answered, failed, or still in flight */
    public boolean balanced() {
        return issued == ok + mismatched + failed + inflight;
    }

    /**
     * Waits until the client shows full service after {@code sinceMillis}: a whole report interval,
     * entirely after that moment, in which calls succeeded and none failed.
     *
     * @return the wall-clock time of the report that closed that interval
     * @throws AssertionError when it does not come within {@code atMost}
     */
    public static long awaitFullService(ChildJvm client, long sinceMillis, java.time.Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() - deadline < 0) {
            LoadStats previous = null;
            for (LoadStats stats : of(client)) {
                if (previous != null
                        && previous.at() >= sinceMillis
                        && stats.ok() > previous.ok()
                        && stats.failed() == previous.failed()) {
                    return stats.at();
                }
                previous = stats;
            }
            if (!client.process().isAlive()) {
                throw new AssertionError("client " + client.pid() + " died (exit "
                        + client.process().exitValue() + "); it printed " + client.lines());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20)); // polling its output
        }
        List<LoadStats> all = of(client);
        throw new AssertionError("client " + client.pid() + " did not get full service within " + atMost
                + "; its last reports: " + all.subList(Math.max(0, all.size() - 5), all.size()));
    }

    private static long n(Map<String, String> fields, String key) {
        return Long.parseLong(fields.get(key));
    }
}

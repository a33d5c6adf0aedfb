package io.shmipc.cli;

import io.shmipc.core.ShmInspectionException;
import io.shmipc.core.ShmRegionInspector;
import io.shmipc.core.ShmRegionSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shmipc watch NAME}: a refreshing view until Ctrl-C. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Watch one region until Ctrl-C.",
            "%nShows state, requests per second, slots in use, clients and heartbeat. On a terminal the screen "
                    + "is redrawn; otherwise (or with --json) one line per refresh. A region that disappears "
                    + "(server stopped) is waited for, not an error."
        },
        footer = {"", ExitCodes.HELP_TABLE})
final class WatchCommand extends RegionSubcommand {

    private static final int SEQUENCE_MASK = 0xFF_FFFF;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Time between refreshes. Default: ${DEFAULT-VALUE}.")
    Duration interval = Duration.ofSeconds(1);

    @Option(
            names = "--iterations",
            paramLabel = "N",
            description = "Stop after N refreshes; 0 (default) runs until Ctrl-C.")
    int iterations;

    @Override
    public Integer call() {
        ShmRegionInspector inspector = options.inspector();
        boolean redraw = System.console() != null && root.out == System.out && !options.json;
        ShmRegionSnapshot previous = null;
        long previousAt = 0;
        for (int round = 1; iterations == 0 || round <= iterations; round++) {
            long roundStart = System.nanoTime();
            ShmRegionSnapshot snapshot;
            try {
                snapshot = inspector.inspect(name);
            } catch (ShmInspectionException e) {
                if (e.reason() != ShmInspectionException.Reason.NO_REGION) {
                    throw e;
                }
                root.out.println(
                        options.json
                                ? Json.write(Map.of("name", name, "state", "ABSENT"))
                                : name + ": no region (waiting for a server)");
                previous = null;
                pause(roundStart);
                continue;
            }
            long now = System.nanoTime();
            Double perSecond = previous == null || previous.epoch() != snapshot.epoch()
                    ? null
                    : claimsSince(previous, snapshot) * 1e9 / (now - previousAt);
            previous = snapshot;
            previousAt = now;
            print(snapshot, perSecond, redraw);
            pause(roundStart);
        }
        return ExitCodes.OK;
    }

    private void print(ShmRegionSnapshot snapshot, @Nullable Double perSecond, boolean redraw) {
        if (options.json) {
            Map<String, Object> line = new LinkedHashMap<>(Views.summary(snapshot));
            line.put("requestsPerSecond", perSecond);
            line.put("slotsByState", snapshot.slotsByState());
            line.put("takenAt", snapshot.takenAt());
            root.out.println(Json.write(line));
            return;
        }
        String rate = perSecond == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", perSecond);
        if (redraw) {
            root.out.print("\033[H\033[2J");
            root.out.println("shmipc watch " + name + " every " + Text.duration(interval) + " (Ctrl-C to stop)\n");
            root.out.print(Text.table(
                    concat(Views.SUMMARY_HEADER, "REQ/S"), List.of(concat(Views.summaryRow(snapshot), rate))));
            root.out.println("\nslots: " + snapshot.slotsByState());
        } else {
            root.out.println(snapshot.takenAt() + " " + snapshot.name() + " " + snapshot.state() + " epoch="
                    + snapshot.epoch() + " req/s=" + rate + " slots=" + snapshot.slotsInUse() + "/"
                    + snapshot.slotCount() + " clients="
                    + (snapshot.clientsKnown() ? snapshot.liveClients().size() : "?") + " heartbeat="
                    + (snapshot.heartbeatAge() == null ? "not-moving" : Text.duration(snapshot.heartbeatAge())));
        }
        root.out.flush();
    }

    private static List<String> concat(List<String> cells, String last) {
        return java.util.stream.Stream.concat(cells.stream(), java.util.stream.Stream.of(last))
                .toList();
    }

    /** Claims made since {@code before}: each request claims a slot once; the 24-bit sequences wrap. */
    private static long claimsSince(ShmRegionSnapshot before, ShmRegionSnapshot after) {
        long claims = 0;
        for (int i = 0; i < Math.min(before.slots().size(), after.slots().size()); i++) {
            claims += (after.slots().get(i).sequence() - before.slots().get(i).sequence()) & SEQUENCE_MASK;
        }
        return claims;
    }

    private void pause(long roundStart) {
        long left = interval.toNanos() - (System.nanoTime() - roundStart);
        if (left > 0) {
            // A refresh period, not a synchronisation: nothing to wait for but the clock.
            LockSupport.parkNanos(left);
        }
    }
}

package io.shmipc.cli;

import io.shmipc.core.ShmRegionInspector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code shmipc list}: every region of a folder, its server judged as its clients judge it. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List every region in the folder.",
            "%nShows name, state (RUNNING, DRAINING, CLOSED, DEAD: judged as clients judge it), server pid, epoch, "
                    + "slots in use / total, slot size, live client processes and the age of the last heartbeat. "
                    + "A server in another pid namespace is judged by its heartbeat alone, which takes up to the "
                    + "liveness timeout. Below the table, '!' lines name files that look like shmipc's but are "
                    + "not readable regions, and lock files whose region is gone (orphans, removed by clean)."
        },
        footer = {"", ExitCodes.HELP_TABLE})
final class ListCommand extends Subcommand {

    @Override
    public Integer call() {
        List<ShmRegionInspector.Entry> entries = options.inspector().list();
        if (options.json) {
            List<Map<String, Object>> regions = new ArrayList<>();
            for (ShmRegionInspector.Entry entry : entries) {
                regions.add(
                        entry.snapshot() != null
                                ? Views.summary(entry.snapshot())
                                : Map.of(
                                        "name", entry.name(),
                                        "path", entry.path().toString(),
                                        "problem", Json.tree(entry.problem())));
            }
            root.out.println(Json.write(regions));
            return ExitCodes.OK;
        }
        if (entries.isEmpty()) {
            root.out.println("no shmipc regions in " + options.directory.toAbsolutePath());
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ShmRegionInspector.Entry entry : entries) {
            if (entry.snapshot() != null) {
                rows.add(Views.summaryRow(entry.snapshot()));
            }
        }
        root.out.print(Text.table(Views.SUMMARY_HEADER, rows));
        for (ShmRegionInspector.Entry entry : entries) {
            if (entry.problem() != null) {
                root.out.println("! " + entry.name() + ": " + entry.problem().getMessage());
            }
        }
        return ExitCodes.OK;
    }
}

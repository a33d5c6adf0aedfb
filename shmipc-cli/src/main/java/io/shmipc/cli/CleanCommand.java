package io.shmipc.cli;

import io.shmipc.core.ShmCleanResult;
import io.shmipc.core.ShmRegionInspector;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shmipc clean NAME | --all-dead}: removes what a dead server left, never a live region. */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Remove what a dead server left behind.",
            "%nRemoves a region and its lock file when its server is dead (or closed) and no live client maps "
                    + "it. A live region is refused with its own exit code. Only files identified as shmipc "
                    + "regions of this layout version are ever removed. The removal takes the server lock as a "
                    + "starting server would, and every client registration, so it cannot race a server or "
                    + "client that starts meanwhile. A lock file whose region is gone (a server killed while "
                    + "starting, a region deleted by hand) is removed too when it holds nothing but a pid and "
                    + "nobody holds its lock."
        },
        footer = {"", ExitCodes.HELP_TABLE})
final class CleanCommand extends Subcommand {

    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(names = "--dry-run", description = "Say what would be removed; modify nothing.")
    boolean dryRun;

    /** Exactly one of a name or --all-dead. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "NAME", description = "The shmipc name to clean.")
        String name;

        @Option(
                names = "--all-dead",
                required = true,
                description = "Clean every region of the folder whose server is dead; live ones are kept.")
        boolean allDead;
    }

    @Override
    public Integer call() {
        ShmRegionInspector inspector = options.inspector();
        List<ShmCleanResult> results =
                target.allDead ? inspector.cleanAllDead(dryRun) : List.of(inspector.clean(target.name, dryRun));
        if (options.json) {
            root.out.println(Json.write(target.allDead ? results : results.getFirst()));
        } else if (results.isEmpty()) {
            root.out.println("no shmipc regions in " + inspector.directory());
        } else {
            for (ShmCleanResult result : results) {
                root.out.println(line(result));
            }
        }
        if (target.allDead) {
            return ExitCodes.OK;
        }
        return switch (results.getFirst().outcome()) {
            case REMOVED, WOULD_REMOVE -> ExitCodes.OK;
            case REFUSED_SERVER_ALIVE -> ExitCodes.REFUSED_SERVER_ALIVE;
            case REFUSED_CLIENTS_ALIVE -> ExitCodes.REFUSED_CLIENTS_ALIVE;
        };
    }

    private String line(ShmCleanResult result) {
        return switch (result.outcome()) {
            case REMOVED -> "removed " + result.name() + ": " + result.detail() + "; deleted " + result.removed();
            case WOULD_REMOVE -> "would remove " + result.name() + ": " + result.detail();
            case REFUSED_SERVER_ALIVE, REFUSED_CLIENTS_ALIVE ->
                (target.allDead ? "kept " : "refused ") + result.name() + ": " + result.detail();
        };
    }
}

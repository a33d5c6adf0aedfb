package io.shmipc.cli;

import io.shmipc.core.ShmRegionSnapshot;
import picocli.CommandLine.Command;

/** {@code shmipc inspect NAME}: one region field by field. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show one region field by field.",
            "%nShows the header field by field, each slot's state, owner process, age (how long its request "
                    + "has held it; 'unknown' for a client that does not record it) and deadline, the registered "
                    + "client processes and whether each is alive, and the region's files with owner and mode. "
                    + "Reads only: never writes to the region and takes no lock."
        },
        footer = {"", ExitCodes.HELP_TABLE})
final class InspectCommand extends RegionSubcommand {

    @Override
    public Integer call() {
        ShmRegionSnapshot snapshot = options.inspector().inspect(name);
        root.out.print(options.json ? Json.write(Views.full(snapshot)) + "\n" : Views.inspect(snapshot));
        return ExitCodes.OK;
    }
}

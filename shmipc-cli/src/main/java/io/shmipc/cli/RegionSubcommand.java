package io.shmipc.cli;

import picocli.CommandLine.Parameters;

/** A subcommand about one region, named by its first argument. */
abstract class RegionSubcommand extends Subcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The shmipc name (shmipc.name).")
    String name;
}

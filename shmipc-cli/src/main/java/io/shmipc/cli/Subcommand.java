package io.shmipc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every subcommand has: the streams of the root command and the common options. */
abstract class Subcommand implements Callable<Integer> {

    @ParentCommand
    ShmipcCommand root;

    @Mixin
    CommonOptions options;
}

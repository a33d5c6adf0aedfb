package io.shmipc.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code shmipc}: see, call and clean shmipc regions from a shell. Reading never writes to a region and takes
 * no lock, so it is safe against live servers and clients.
 */
@Command(
        name = "shmipc",
        mixinStandardHelpOptions = true,
        versionProvider = ShmipcCommand.Version.class,
        description = "See, call and clean shmipc shared-memory regions.",
        subcommands = {
            ListCommand.class,
            InspectCommand.class,
            WatchCommand.class,
            CallCommand.class,
            CleanCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", ExitCodes.HELP_TABLE})
public final class ShmipcCommand implements Runnable {

    final PrintStream out;
    final PrintStream err;
    final InputStream in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param out where results go
     * @param err where errors go
     * @param in where {@code call -} reads its payload
     */
    public ShmipcCommand(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, System.in, args));
    }

    /**
     * Runs the command without exiting, for tests and embedding.
     *
     * @param out standard output
     * @param err standard error
     * @param in standard input
     * @param args the command line
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(PrintStream out, PrintStream err, InputStream in, String... args) {
        CommandLine commandLine = new CommandLine(new ShmipcCommand(out, err, in));
        // "@FILE" is call's payload syntax, not picocli's argument file.
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            // One line: what was found and what to do. Unexpected failures keep their stack for a bug report.
            int code = ExitCodes.of(failure);
            err.println("shmipc: " + ExitCodes.kind(failure) + ": " + failure.getMessage());
            if (code == ExitCodes.FAILED) {
                failure.printStackTrace(err);
            }
            return code;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ShmipcCommand.class.getPackage().getImplementationVersion();
            return new String[] {"shmipc " + (version == null ? "(development build)" : version)};
        }
    }
}

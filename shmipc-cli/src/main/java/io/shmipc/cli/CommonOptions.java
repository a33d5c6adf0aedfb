package io.shmipc.cli;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRegionInspector;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every command takes: where the regions are, and how to print. */
final class CommonOptions {

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Folder of the regions (shmipc.directory). Default: ${DEFAULT-VALUE}.")
    Path directory = ShmConfig.defaultDirectory();

    @Option(names = "--json", description = "Print JSON for scripts (durations in milliseconds).")
    boolean json;

    @Option(
            names = "--liveness-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Heartbeat silence after which a server counts as dead, as the clients' "
                            + "liveness timeout (the larger of this and twice the server's heartbeat period counts). Default: 1s.")
    Duration livenessTimeout = Duration.ofSeconds(1);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** @return the engine settings a client of these regions would use */
    ShmConfig config() {
        try {
            return ShmConfig.builder()
                    .directory(directory)
                    .livenessTimeout(livenessTimeout)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--liveness-timeout " + livenessTimeout + ": " + e.getMessage());
        }
    }

    ShmRegionInspector inspector() {
        return ShmRegionInspector.of(config());
    }
}

package io.shmipc.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Pins whole processes to vCPUs with util-linux {@code taskset}, and reads where a thread ran last. */
public final class Placement {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    private Placement() {}

    public static boolean available() {
        return Files.isExecutable(TASKSET) && Runtime.getRuntime().availableProcessors() >= 2;
    }

    /** Pins every thread of {@code pid}, including ones it starts later, to the given vCPU list. */
    static void pin(long pid, String cpuList) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder(TASKSET.toString(), "-a", "-p", "-c", cpuList, Long.toString(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!taskset.waitFor(5, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IOException("taskset could not pin " + pid + " to " + cpuList);
        }
    }

    static String allCpus() {
        return "0-" + (Runtime.getRuntime().availableProcessors() - 1);
    }

    /** @return the vCPU the calling thread last ran on (field 39 of /proc/thread-self/stat), or -1 */
    static int currentCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Field 2 (the command) may hold spaces, so count fields after its closing parenthesis.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(rest[39 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

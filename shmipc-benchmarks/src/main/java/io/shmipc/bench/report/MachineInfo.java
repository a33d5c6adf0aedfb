package io.shmipc.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were taken on; read from /proc so the report needs no external tools. */
record MachineInfo(int vcpus, String cpuModel, String jdk, String kernel, String loadAverage) {

    static MachineInfo current() {
        String model = read("/proc/cpuinfo")
                .lines()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("unknown");
        String jdk = System.getProperty("java.vm.vendor") + " " + Runtime.version();
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                model,
                jdk,
                read("/proc/sys/kernel/osrelease").trim(),
                currentLoadAverage());
    }

    /** @return the 1, 5 and 15 minute load averages */
    static String currentLoadAverage() {
        String[] f = read("/proc/loadavg").split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}

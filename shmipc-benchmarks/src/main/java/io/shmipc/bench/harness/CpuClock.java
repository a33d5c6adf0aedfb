package io.shmipc.bench.harness;

import java.time.Duration;

/** CPU time (user + system, all threads) of a process, as the kernel counts it in /proc/<pid>/stat. */
final class CpuClock {

    private CpuClock() {}

    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(0L);
    }

    static long selfCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }
}

package io.shmipc.core.internal.signal;

/** Picks the {@link Futex} for this platform once per JVM. */
final class Futexes {

    static final Futex PLATFORM = choose();

    private Futexes() {}

    private static Futex choose() {
        String os = System.getProperty("os.name", "");
        long syscall = LinuxFutex.syscallNumber(System.getProperty("os.arch", ""));
        if (os.startsWith("Linux") && syscall > 0) {
            try {
                return new LinuxFutex(syscall);
            } catch (Throwable e) {
                System.getLogger(Futexes.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "shmipc: futex unavailable (" + e
                                        + "); falling back to polling waits, which cost more CPU and latency");
            }
        }
        return new PollingFutex();
    }
}

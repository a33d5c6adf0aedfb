package io.shmipc.bench.harness;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Whether the JIT compilers of both JVMs of a session (this client and its server) are still at work.
 * The client's own compile time comes from its {@link CompilationMXBean}; the server's from its
 * HotSpot performance counter {@code java.ci.totalTime}, read through jvmstat (the child JVMs are started
 * with {@code --add-modules jdk.internal.jvmstat} and the export this needs). Where the server's counter
 * cannot be read (another user, {@code -XX:-UsePerfData}), only the client is judged, and round-trip
 * latency, which runs both sides' code, still shows a server that is warming.
 */
final class JitActivity {

    private final CompilationMXBean client = ManagementFactory.getCompilationMXBean();
    /** Null when the server's counters cannot be read; latency alone judges the server then. */
    private final @Nullable ServerCounter server;

    private JitActivity(@Nullable ServerCounter server) {
        this.server = server;
    }

    /** @param serverPid the server JVM's pid */
    static JitActivity of(long serverPid) {
        return new JitActivity(ServerCounter.open(serverPid));
    }

    /** @return true when the server's counter is read, so both JVMs are judged */
    boolean seesServer() {
        return server != null;
    }

    /** @return compile time so far, client and server, in their own units; compare only with {@link #quietSince} */
    long[] snapshot() {
        return new long[] {client.getTotalCompilationTime(), server == null ? 0 : server.ticks()};
    }

    /** @return true when neither JVM compiled anything since {@code before} */
    boolean quietSince(long[] before) {
        long[] now = snapshot();
        return now[0] == before[0] && now[1] == before[1];
    }

    /**
     * The server's {@code java.ci.totalTime} counter, reached by reflection: javac's {@code --release}
     * refuses to compile against the non-exported jvmstat package, the JVM allows it with the export.
     */
    private static final class ServerCounter {
        /**
         * Held for as long as the counter is read: the monitor reads the server's mapped perf-data file, and
         * once the monitored VM object is collected its cleaner unmaps that file (a read then crashes the JVM).
         */
        private final Object monitoredVm;

        private final Object monitor;
        private final Method getValue;

        private ServerCounter(Object monitoredVm, Object monitor, Method getValue) {
            this.monitoredVm = monitoredVm;
            this.monitor = monitor;
            this.getValue = getValue;
        }

        static @Nullable ServerCounter open(long pid) {
            try {
                String pkg = "sun.jvmstat.monitor.";
                Class<?> hostId = Class.forName(pkg + "HostIdentifier");
                Class<?> vmId = Class.forName(pkg + "VmIdentifier");
                Class<?> hostType = Class.forName(pkg + "MonitoredHost");
                Object host = hostType.getMethod("getMonitoredHost", hostId)
                        .invoke(null, hostId.getConstructor(String.class).newInstance((String) null));
                Object vm = hostType.getMethod("getMonitoredVm", vmId)
                        .invoke(host, vmId.getConstructor(String.class).newInstance(Long.toString(pid)));
                Method findByName = Class.forName(pkg + "MonitoredVm").getMethod("findByName", String.class);
                Object monitor = findByName.invoke(vm, "java.ci.totalTime");
                if (monitor == null) {
                    return null;
                }
                ServerCounter counter = new ServerCounter(
                        vm, monitor, Class.forName(pkg + "Monitor").getMethod("getValue"));
                counter.ticks();
                return counter;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // No counters to read: latency alone judges the server.
                return null;
            }
        }

        long ticks() {
            try {
                long ticks = ((Number) getValue.invoke(monitor)).longValue();
                // Keeps the monitored VM, and with it the mapping the monitor reads, reachable up to here.
                Reference.reachabilityFence(monitoredVm);
                return ticks;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("reading the server's JIT counter", e);
            }
        }
    }
}

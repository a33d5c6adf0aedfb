package io.shmipc.bench.harness;

/**
 * What one measurement does. Travels to client JVMs as a token such as {@code echo:4096}.
 *
 * @param kind the shape of the traffic
 * @param value payload bytes, or caller count for {@link Kind#THREADS}, {@link Kind#VIRTUAL_THREADS} and
 *              {@link Kind#PROCESSES},
 *              or the window in milliseconds for {@link Kind#IDLE}
 */
public record Scenario(Kind kind, int value) {

    public static final int SMALL_PAYLOAD = 64;

    public enum Kind {
        /** One caller, closed loop, byte[] in and out. */
        ECHO("echo"),
        /** One caller, closed loop, writing into and reading from the transport's own buffers. */
        ZERO_COPY("zc"),
        /** Several platform threads of one client process sharing one client, 64 B each. */
        THREADS("threads"),
        /** Several virtual threads of one client process sharing one client, 64 B each. */
        VIRTUAL_THREADS("vthreads"),
        /** One of several client processes calling at once, 64 B each. */
        PROCESSES("procs"),
        /** One call after each 1 ms of silence: the cost of waking the other side. */
        WAKEUP("wakeup"),
        /** No traffic: what the idle server and client burn. */
        IDLE("idle"),
        /** 64 B echo with server and client pinned to the same vCPU. */
        SAME_VCPU("same-vcpu"),
        /** 64 B echo with server and client pinned to different vCPUs. */
        CROSS_VCPU("cross-vcpu");

        final String token;

        Kind(String token) {
            this.token = token;
        }
    }

    public String token() {
        return kind.token + ":" + value;
    }

    public static Scenario parse(String token) {
        int colon = token.indexOf(':');
        String kind = token.substring(0, colon);
        for (Kind k : Kind.values()) {
            if (k.token.equals(kind)) {
                return new Scenario(k, Integer.parseInt(token.substring(colon + 1)));
            }
        }
        throw new IllegalArgumentException("unknown scenario " + token);
    }

    /** @return the name shown in reports */
    public String label() {
        return switch (kind) {
            case ECHO -> "echo-" + size(value);
            case ZERO_COPY -> "zero-copy-" + size(value);
            case THREADS -> "threads-" + value;
            case VIRTUAL_THREADS -> "virtual-threads-" + value;
            case PROCESSES -> value + "-processes";
            case WAKEUP -> "wakeup-after-1ms";
            case IDLE -> "idle";
            case SAME_VCPU -> "same-vcpu";
            case CROSS_VCPU -> "cross-vcpu";
        };
    }

    /** @return how many threads call at once: in one process, or one per process; 0 when idle */
    public int callerThreads() {
        return switch (kind) {
            case THREADS, VIRTUAL_THREADS, PROCESSES -> value;
            case IDLE -> 0;
            default -> 1;
        };
    }

    /** @return payload bytes of one request */
    public int payloadBytes() {
        return switch (kind) {
            case ECHO, ZERO_COPY -> value;
            case IDLE -> 0;
            default -> SMALL_PAYLOAD;
        };
    }

    static String size(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + "KiB";
        }
        return bytes + "B";
    }
}

package io.shmipc.bench.transport;

/** One client thread's handle on a server. Not thread-safe. */
public interface Caller extends AutoCloseable {

    /**
     * One echo round trip with copies into and out of Java arrays, as an application would do.
     *
     * @return the echoed bytes
     */
    byte[] call(byte[] request) throws Exception;

    /**
     * One echo round trip as {@link #call}, checked: the reply must be as long as the request.
     *
     * @return a value derived from the reply, so the round trip cannot be optimised away
     */
    default long echo(byte[] request) throws Exception {
        byte[] reply = call(request);
        if (reply.length != request.length) {
            throw new IllegalStateException("echo of " + request.length + " bytes came back as " + reply.length);
        }
        return reply.length == 0 ? 0 : reply[reply.length - 1];
    }

    /**
     * One echo round trip of {@code size} bytes without intermediate arrays, where the transport has
     * such a path; the default falls back to {@link #call}.
     *
     * @return a value derived from the reply, so the round trip cannot be optimised away
     */
    default long callZeroCopy(int size) throws Exception {
        byte[] reply = call(new byte[size]);
        return reply.length;
    }

    @Override
    default void close() throws Exception {}
}

package io.shmipc.sample.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * The request mix both modes send: mostly {@code metrics.report}; of every ten calls the fifth is an
 * {@code echo} whose reply is checked byte by byte, and the last a {@code metrics.query} of a series
 * this client has just reported to. The same mix goes through shared memory ({@link AgentClient}) or,
 * for the comparison the demo prints, over HTTP to the same agent ({@link AgentChannel#http}).
 */
@Component
public class AgentCalls {

    private static final String[] METRICS = {"cpu.load", "heap.used", "gc.pause"};
    private static final long QUERY_WINDOW_MILLIS = Duration.ofSeconds(10).toMillis();
    private static final int ECHO_SIZE = 64;

    private final AgentChannel shm;
    private final String source;

    /**
     * @param agent calls the agent through shared memory
     * @param properties gives the source name the samples carry
     */
    public AgentCalls(AgentClient agent, SampleClientProperties properties) {
        this.shm = AgentChannel.shm(agent);
        this.source = properties.source();
    }

    /**
     * Makes the call the mix assigns to a sequence number, through shared memory. Failures propagate as
     * the engine's {@link io.shmipc.core.ShmException}s.
     *
     * @param sequence the caller's running count
     * @return the route called and the reply, for printing
     */
    public Reply call(long sequence) {
        return call(sequence, shm);
    }

    /** @return the shared-memory channel {@link #call(long)} uses */
    public AgentChannel shm() {
        return shm;
    }

    /**
     * Makes the call the mix assigns to a sequence number, through the given channel.
     *
     * @param sequence the caller's running count
     * @param channel how to reach the agent
     * @return the route called and the reply, for printing
     */
    public Reply call(long sequence, AgentChannel channel) {
        String metric = METRICS[(int) (sequence / 10 % METRICS.length)];
        return switch ((int) (sequence % 10)) {
            case 9 ->
                new Reply("metrics.query", channel.query(new AgentApi.Query(source, metric, QUERY_WINDOW_MILLIS)));
            case 4 -> new Reply("echo", echo(sequence, channel));
            default ->
                new Reply(
                        "metrics.report",
                        channel.report(new AgentApi.Sample(
                                source,
                                metric,
                                ThreadLocalRandom.current().nextDouble(0, 100),
                                System.currentTimeMillis())));
        };
    }

    private static String echo(long sequence, AgentChannel channel) {
        byte[] request = new byte[ECHO_SIZE];
        Arrays.fill(request, (byte) sequence);
        request[0] = (byte) (sequence >>> 8);
        byte[] reply = channel.echo(request);
        if (!Arrays.equals(request, reply)) {
            throw new IllegalStateException("echo returned different bytes: sent " + Arrays.toString(request) + ", got "
                    + Arrays.toString(reply));
        }
        return reply.length + " bytes, identical";
    }

    /**
     * What came back from one call.
     *
     * @param route the route called
     * @param body the decoded reply
     */
    public record Reply(String route, Object body) {}
}

package io.shmipc.sample.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * The request mix both modes send: mostly {@code metrics.report}; of every ten calls the fifth is an
 * {@code echo} whose reply is checked byte by byte, and the last a {@code metrics.query} of a series
 * this client has just reported to.
 */
@Component
public class AgentCalls {

    private static final String[] METRICS = {"cpu.load", "heap.used", "gc.pause"};
    private static final long QUERY_WINDOW_MILLIS = Duration.ofSeconds(10).toMillis();
    private static final int ECHO_SIZE = 64;

    private final AgentClient agent;
    private final String source;

    /**
     * @param agent calls the agent
     * @param properties gives the source name the samples carry
     */
    public AgentCalls(AgentClient agent, SampleClientProperties properties) {
        this.agent = agent;
        this.source = properties.source();
    }

    /**
     * Makes the call the mix assigns to a sequence number. Failures propagate as the engine's
     * {@link io.shmipc.core.ShmException}s.
     *
     * @param sequence the caller's running count
     * @return the route called and the reply, for printing
     */
    public Reply call(long sequence) {
        String metric = METRICS[(int) (sequence / 10 % METRICS.length)];
        // The labels name the routes in the printed replies; the calls themselves go through AgentClient.
        return switch ((int) (sequence % 10)) {
            case 9 -> new Reply("metrics.query", agent.query(new AgentApi.Query(source, metric, QUERY_WINDOW_MILLIS)));
            case 4 -> new Reply("echo", echo(sequence));
            default ->
                new Reply(
                        "metrics.report",
                        agent.report(new AgentApi.Sample(
                                source,
                                metric,
                                ThreadLocalRandom.current().nextDouble(0, 100),
                                System.currentTimeMillis())));
        };
    }

    private String echo(long sequence) {
        byte[] request = new byte[ECHO_SIZE];
        Arrays.fill(request, (byte) sequence);
        request[0] = (byte) (sequence >>> 8);
        byte[] reply = agent.echo(request);
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

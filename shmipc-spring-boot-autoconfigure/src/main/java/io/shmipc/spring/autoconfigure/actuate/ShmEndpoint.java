package io.shmipc.spring.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmInspectionException;
import io.shmipc.core.ShmRegionInspector;
import io.shmipc.core.ShmRegionSnapshot;
import io.shmipc.spring.ShmHandlerRegistry;
import io.shmipc.spring.ShmRole;
import io.shmipc.spring.ShmRoleDecider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code shmipc} Actuator endpoint ({@code /actuator/shmipc}): this application's role, its region as the
 * engine's inspector reads it (server state, epoch, slots by state, registered client processes), the routes
 * it serves with their handler methods, and per-route call counts and latency from the request timers.
 *
 * <p>Read-only, and off by default: expose it with {@code management.endpoints.web.exposure.include=shmipc}.
 * Reading the region takes no lock and writes nothing; it watches the heartbeat for up to one heartbeat
 * period to judge the server as a client would.
 */
@Endpoint(id = "shmipc", defaultAccess = Access.READ_ONLY)
public class ShmEndpoint {

    /** The server request timer, tagged by route as {@code rpc.method}. */
    static final String SERVER_TIMER = "shmipc.server.requests";
    /** The client request timer, tagged by route as {@code shmipc.route}. */
    static final String CLIENT_TIMER = "shmipc.client.requests";

    private final ShmClient client;
    private final ShmRegionInspector inspector;
    private final ObjectProvider<ShmRoleDecider> roleDecider;
    private final ObjectProvider<ShmHandlerRegistry> handlers;
    private final ObjectProvider<MeterRegistry> meters;

    /**
     * @param client the application's client, whose name and path are described
     * @param inspector reads the region; built with the application's directory and liveness settings
     * @param roleDecider the decided role, if the application has a server lifecycle
     * @param handlers the route table, if any
     * @param meters the meter registry, if any
     */
    public ShmEndpoint(
            ShmClient client,
            ShmRegionInspector inspector,
            ObjectProvider<ShmRoleDecider> roleDecider,
            ObjectProvider<ShmHandlerRegistry> handlers,
            ObjectProvider<MeterRegistry> meters) {
        this.client = client;
        this.inspector = inspector;
        this.roleDecider = roleDecider;
        this.handlers = handlers;
        this.meters = meters;
    }

    /** @return the description of this application's shmipc name and region */
    @ReadOperation
    public ShmDescriptor shmipc() {
        ShmRegionSnapshot snapshot;
        String problem = null;
        try {
            snapshot = inspector.inspect(client.name());
        } catch (ShmInspectionException e) {
            snapshot = null;
            problem = e.getMessage();
        }
        return new ShmDescriptor(
                role(),
                client.name(),
                client.path().toString(),
                server(snapshot, problem),
                snapshot == null ? null : slots(snapshot),
                snapshot == null
                        ? List.of()
                        : snapshot.liveClients().stream()
                                .map(process -> new ClientDescriptor(process.pid(), process.registrationIndex()))
                                .toList(),
                routes());
    }

    private String role() {
        ShmRoleDecider decider = roleDecider.getIfUnique();
        if (decider == null) {
            return ShmRole.CLIENT.name();
        }
        ShmRole decided = decider.decidedRole();
        return decided != null ? decided.name() : decider.configuredRole().name() + " (not decided yet)";
    }

    private static ServerDescriptor server(ShmRegionSnapshot snapshot, String problem) {
        if (snapshot == null) {
            return new ServerDescriptor("ABSENT", -1, -1, null, -1, null, problem);
        }
        return new ServerDescriptor(
                snapshot.state().name(),
                snapshot.serverPid(),
                snapshot.epoch(),
                snapshot.serverProcess(),
                snapshot.heartbeat(),
                millis(snapshot.heartbeatAge()),
                null);
    }

    private static SlotsDescriptor slots(ShmRegionSnapshot snapshot) {
        Duration oldest = snapshot.slots().stream()
                .map(ShmRegionSnapshot.Slot::age)
                .filter(java.util.Objects::nonNull)
                .max(Duration::compareTo)
                .orElse(null);
        return new SlotsDescriptor(
                snapshot.slotCount(),
                snapshot.slotCapacity(),
                snapshot.slotsInUse(),
                snapshot.slotsByState(),
                millis(oldest));
    }

    private Map<String, RouteDescriptor> routes() {
        Map<String, String> methods = new LinkedHashMap<>();
        ShmHandlerRegistry registry = handlers.getIfUnique();
        if (registry != null && ShmRole.SERVER.name().equals(role())) {
            methods.putAll(registry.handlerDescriptions());
        }
        Map<String, CallsDescriptor> served = calls(SERVER_TIMER, "rpc.method");
        Map<String, CallsDescriptor> called = calls(CLIENT_TIMER, "shmipc.route");
        TreeMap<String, RouteDescriptor> routes = new TreeMap<>();
        for (String route : union(methods.keySet(), served.keySet(), called.keySet())) {
            routes.put(route, new RouteDescriptor(methods.get(route), served.get(route), called.get(route)));
        }
        return routes;
    }

    @SafeVarargs
    private static java.util.Set<String> union(java.util.Set<String>... sets) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        for (java.util.Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    /** Sums the timers of one meter name by route, keeping a count per outcome. */
    private Map<String, CallsDescriptor> calls(String meterName, String routeTag) {
        MeterRegistry registry = meters.getIfUnique();
        Map<String, CallsDescriptor> byRoute = new TreeMap<>();
        if (registry == null) {
            return byRoute;
        }
        for (Timer timer :
                registry.find(meterName).tag("shmipc.name", client.name()).timers()) {
            String route = timer.getId().getTag(routeTag);
            if (route == null) {
                continue;
            }
            String outcome = timer.getId().getTag("outcome");
            CallsDescriptor add = CallsDescriptor.of(
                    timer.count(),
                    outcome == null ? Map.of() : Map.of(outcome, timer.count()),
                    timer.totalTime(TimeUnit.NANOSECONDS) / 1e6,
                    timer.max(TimeUnit.NANOSECONDS) / 1e6);
            byRoute.merge(route, add, CallsDescriptor::plus);
        }
        return byRoute;
    }

    private static Double millis(Duration duration) {
        return duration == null ? null : duration.toNanos() / 1e6;
    }

    /**
     * What {@code /actuator/shmipc} returns.
     *
     * @param role SERVER or CLIENT, as decided at startup
     * @param name the shmipc name
     * @param path the region file
     * @param server the region's server as judged by the clients' liveness rules
     * @param slots slot geometry and use; null when there is no region
     * @param clients client processes registered on the region now
     * @param routes by route: the handler method served here, server-side calls, client-side calls
     */
    public record ShmDescriptor(
            String role,
            String name,
            String path,
            ServerDescriptor server,
            SlotsDescriptor slots,
            List<ClientDescriptor> clients,
            Map<String, RouteDescriptor> routes) {}

    /**
     * The region's server.
     *
     * @param state RUNNING, DRAINING, CLOSED, DEAD, or ABSENT when there is no region
     * @param pid the server's pid in its pid namespace
     * @param epoch server starts on this region
     * @param process what the OS says about that pid from here: alive, stopped, dead, not visible
     * @param heartbeat the heartbeat counter
     * @param heartbeatAgeMillis how long ago the heartbeat last moved; null when it did not move while watched
     * @param problem why the region could not be read, null when it could
     */
    public record ServerDescriptor(
            String state,
            long pid,
            long epoch,
            String process,
            long heartbeat,
            Double heartbeatAgeMillis,
            String problem) {}

    /**
     * Slot use.
     *
     * @param count slots in the region
     * @param capacity payload bytes per slot
     * @param inUse slots not FREE
     * @param byState slots per state
     * @param oldestAgeMillis how long the longest-held slot in use has held its request (see {@code shmipc
     *     inspect} for every slot's age); null when no slot is in use or no age is known (clients that predate
     *     the field)
     */
    public record SlotsDescriptor(
            int count, int capacity, int inUse, Map<String, Integer> byState, Double oldestAgeMillis) {}

    /**
     * A client process registered on the region.
     *
     * @param pid its pid as seen from here (0: another pid namespace)
     * @param registrationIndex its registration index
     */
    public record ClientDescriptor(long pid, int registrationIndex) {}

    /**
     * One route.
     *
     * @param handler the handler method serving it here, null when this application does not serve it
     * @param served calls served here, from {@code shmipc.server.requests}; null when none were timed
     * @param called calls made from here, from {@code shmipc.client.requests}; null when none were timed
     */
    public record RouteDescriptor(String handler, CallsDescriptor served, CallsDescriptor called) {}

    /**
     * Call counts and latency of one route on one side, from its timers.
     *
     * @param count calls
     * @param outcomes calls per outcome (SUCCESS, REMOTE_ERROR, TIMEOUT, ...)
     * @param totalMillis time spent in all calls
     * @param meanMillis the mean latency, 0 without calls
     * @param maxMillis the longest call in the timer's recent window
     */
    public record CallsDescriptor(
            long count, Map<String, Long> outcomes, double totalMillis, double meanMillis, double maxMillis) {

        static CallsDescriptor of(long count, Map<String, Long> outcomes, double totalMillis, double maxMillis) {
            return new CallsDescriptor(count, outcomes, totalMillis, count == 0 ? 0 : totalMillis / count, maxMillis);
        }

        CallsDescriptor plus(CallsDescriptor other) {
            Map<String, Long> merged = new TreeMap<>(outcomes);
            other.outcomes.forEach((outcome, calls) -> merged.merge(outcome, calls, Long::sum));
            return of(
                    count + other.count, merged, totalMillis + other.totalMillis, Math.max(maxMillis, other.maxMillis));
        }
    }
}

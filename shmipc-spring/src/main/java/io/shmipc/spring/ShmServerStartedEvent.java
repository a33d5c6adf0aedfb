package io.shmipc.spring;

import java.nio.file.Path;
import java.util.Set;
import org.springframework.context.ApplicationEvent;

/** Published when this application's shmipc server has started and serves its routes. */
public class ShmServerStartedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient Path path;
    private final long epoch;
    private final Set<String> routes;

    /**
     * @param source the {@link ShmServerLifecycle} that started the server
     * @param name the shmipc name served
     * @param path the region file
     * @param epoch the server's epoch
     * @param routes the routes served
     */
    public ShmServerStartedEvent(Object source, String name, Path path, long epoch, Set<String> routes) {
        super(source);
        this.name = name;
        this.path = path;
        this.epoch = epoch;
        this.routes = Set.copyOf(routes);
    }

    /** @return the shmipc name served */
    public String getName() {
        return name;
    }

    /** @return the region file */
    public Path getPath() {
        return path;
    }

    /** @return the server's epoch: the number of server starts on this region, this one included */
    public long getEpoch() {
        return epoch;
    }

    /** @return the routes served */
    public Set<String> getRoutes() {
        return routes;
    }
}

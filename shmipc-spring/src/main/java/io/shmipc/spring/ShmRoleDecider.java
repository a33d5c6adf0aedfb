package io.shmipc.spring;

import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides which side of a shmipc name the application takes, from the configured {@link ShmRole} and
 * whether the application has {@link ShmHandler} methods, and remembers the outcome. Under
 * {@link ShmRole#AUTO} the decision is only final once the server start was tried: the first instance
 * serves, the others become clients.
 */
public class ShmRoleDecider {

    private static final Log logger = LogFactory.getLog(ShmRoleDecider.class);

    private final ShmRole configured;
    private final String name;
    private final ShmHandlerRegistry registry;
    private volatile @Nullable ShmRole decided;

    /**
     * @param configured the configured role
     * @param name the shmipc name, for messages
     * @param registry tells whether the application has handlers
     */
    public ShmRoleDecider(ShmRole configured, String name, ShmHandlerRegistry registry) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.name = Objects.requireNonNull(name, "name");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** @return true when the application should try to start a server; a client role is then recorded otherwise */
    boolean shouldServe() {
        boolean handlers = registry.hasHandlers();
        if (configured == ShmRole.CLIENT && handlers) {
            logger.warn("shmipc.role=client: not serving the @ShmHandler routes " + registry.routes() + " for name '"
                    + name + "'");
        }
        boolean serve = configured == ShmRole.SERVER || (configured == ShmRole.AUTO && handlers);
        if (!serve) {
            decided = ShmRole.CLIENT;
        }
        return serve;
    }

    /** @return true when a server already holding the name makes this application a client, not a failure */
    boolean mayActAsClient() {
        return configured == ShmRole.AUTO;
    }

    /** Records that this application serves. */
    void serving() {
        decided = ShmRole.SERVER;
    }

    /**
     * Records that this application calls another instance's server.
     *
     * @param reason why, for the log
     */
    void actingAsClient(String reason) {
        logger.info("shmipc.role=auto: " + reason + "; this instance runs as a client");
        decided = ShmRole.CLIENT;
    }

    /** @return the role configured */
    public ShmRole configuredRole() {
        return configured;
    }

    /**
     * @return {@link ShmRole#SERVER} or {@link ShmRole#CLIENT} once the server lifecycle has started, {@code null}
     *     before
     */
    public @Nullable ShmRole decidedRole() {
        return decided;
    }
}

package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the client at startup when the application ended up a client and fail-fast is wanted, so an
 * application that needs a server refuses to start without one
 * ({@link io.shmipc.core.ShmServerUnavailableException}). Starts right after {@link ShmServerLifecycle},
 * which decides the role.
 */
public class ShmClientConnector implements SmartLifecycle {

    /** Just after {@link ShmServerLifecycle#PHASE}: the role is decided by then. */
    public static final int PHASE = ShmServerLifecycle.PHASE + 1;

    private final ShmRoleDecider roleDecider;
    private final ShmClient client;
    private volatile boolean running;

    /**
     * @param roleDecider tells whether the application ended up a client
     * @param client the client to connect
     */
    public ShmClientConnector(ShmRoleDecider roleDecider, ShmClient client) {
        this.roleDecider = Objects.requireNonNull(roleDecider, "roleDecider");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void start() {
        if (roleDecider.decidedRole() != ShmRole.SERVER) {
            client.connect();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

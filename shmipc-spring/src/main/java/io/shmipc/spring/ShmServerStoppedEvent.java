package io.shmipc.spring;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this application's shmipc server has stopped: in-flight requests were drained (within
 * the grace period) and its files removed.
 */
public class ShmServerStoppedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String name;

    /**
     * @param source the {@link ShmServerLifecycle} that stopped the server
     * @param name the shmipc name no longer served
     */
    public ShmServerStoppedEvent(Object source, String name) {
        super(source);
        this.name = name;
    }

    /** @return the shmipc name no longer served */
    public String getName() {
        return name;
    }
}

package io.shmipc.spring;

import io.shmipc.core.ShmTimeoutException;

/** Told about every {@link ShmTemplate} call that timed out; the metrics support counts them with it. */
@FunctionalInterface
public interface ShmTimeoutListener {

    /**
     * @param route the route called
     * @param timeout the exception the caller is about to receive
     */
    void onTimeout(String route, ShmTimeoutException timeout);
}

package io.shmipc.spring.autoconfigure;

import io.shmipc.testing.ShmTestRegion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner the auto-configuration tests start from, pointed at a test's own region. */
public final class ShmTestRunners {

    private ShmTestRunners() {}

    /**
     * @param region the test's region
     * @param autoConfigurations the auto-configurations under test
     * @return a runner with them, {@code region}'s name and directory, and blocking waits (no spinning
     *     threads on a loaded machine)
     */
    public static ApplicationContextRunner forRegion(ShmTestRegion region, Class<?>... autoConfigurations) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(autoConfigurations))
                .withPropertyValues(region.properties("shmipc.wait.mode=block"));
    }
}

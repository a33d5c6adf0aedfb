package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmHandlerDefinitionException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextException;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link ShmFailureAnalyzer} tells a user whose application failed to start. */
class ShmFailureAnalyzerTests {

    private final ShmFailureAnalyzer analyzer = new ShmFailureAnalyzer();

    @Test
    void analyzeWhenServerAlreadyRunningShouldNameThePidAndTheWayOut() {
        FailureAnalysis analysis = analyzer.analyze(new ApplicationContextException("Failed to start bean",
                new ShmServerAlreadyRunningException("orders", 1234, "/dev/shm/orders.lock")));
        assertThat(analysis.getDescription()).contains("already running").contains("pid 1234");
        assertThat(analysis.getAction()).contains("shmipc.role=auto").contains("another shmipc.name");
    }

    @Test
    void analyzeWhenFailFastWithoutServerShouldSayStartTheServerOrTurnItOff() {
        FailureAnalysis analysis = analyzer.analyze(new ApplicationContextException("Failed to start bean",
                new ShmServerUnavailableException("no server for 'orders' at /dev/shm/orders")));
        assertThat(analysis.getDescription()).contains("shmipc.client.fail-fast").contains("no server for 'orders'");
        assertThat(analysis.getAction()).contains("shmipc.client.fail-fast=false").contains("shmipc.directory");
    }

    @Test
    void analyzeWhenRegionIncompatibleShouldSaySameVersion() {
        FailureAnalysis analysis = analyzer.analyze(new ShmProtocolException("layout version 2, expected 1"));
        assertThat(analysis.getDescription()).contains("incompatible").contains("layout version 2");
        assertThat(analysis.getAction()).contains("same shmipc version");
    }

    @Test
    void analyzeWhenHandlerInvalidShouldNameTheMethod() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("bean",
                new ShmHandlerDefinitionException("svc.handle(String, String)", "broken")));
        assertThat(analysis.getDescription()).contains("svc.handle(String, String)").contains("broken");
        assertThat(analysis.getAction()).contains("svc.handle(String, String)");
    }

    @Test
    void analyzeWhenRegionCannotBeCreatedShouldPointAtTheDirectory() {
        FailureAnalysis analysis = analyzer.analyze(new ShmException("cannot create /nope/orders: permission denied"));
        assertThat(analysis.getDescription()).contains("permission denied");
        assertThat(analysis.getAction()).contains("shmipc.directory");
    }

    @Test
    void analyzeWhenUnrelatedShouldLeaveItToOthers() {
        assertThat(analyzer.analyze(new IllegalStateException("other"))).isNull();
    }
}

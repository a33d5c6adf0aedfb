package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmHandlerDefinitionException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/** What {@link ShmFailureAnalyzer} tells a user whose application failed to start. */
class ShmFailureAnalyzerTests {

    private final ShmFailureAnalyzer analyzer = new ShmFailureAnalyzer();

    @Test
    void analyzeWhenServerAlreadyRunningShouldNameThePidAndTheWayOut() {
        FailureAnalysis analysis = analyzer.analyze(new ApplicationContextException(
                "Failed to start bean", new ShmServerAlreadyRunningException("orders", 1234, "/dev/shm/orders.lock")));
        assertThat(analysis.getDescription()).contains("already running").contains("pid 1234");
        assertThat(analysis.getAction()).contains("shmipc.role=auto").contains("another shmipc.name");
    }

    @Test
    void analyzeWhenFailFastWithoutServerShouldSayStartTheServerOrTurnItOff() {
        FailureAnalysis analysis = analyzer.analyze(new ApplicationContextException(
                "Failed to start bean",
                new ShmServerUnavailableException("no server for 'orders' at /dev/shm/orders")));
        assertThat(analysis.getDescription())
                .contains("shmipc.client.fail-fast")
                .contains("no server for 'orders'");
        assertThat(analysis.getAction())
                .contains("shmipc.client.fail-fast=false")
                .contains("shmipc.directory");
    }

    @Test
    void analyzeWhenRegionIncompatibleShouldSaySameVersion() {
        FailureAnalysis analysis = analyzer.analyze(new ShmProtocolException("layout version 2, expected 1"));
        assertThat(analysis.getDescription()).contains("incompatible").contains("layout version 2");
        assertThat(analysis.getAction()).contains("same shmipc version");
    }

    @Test
    void analyzeWhenHandlerInvalidShouldNameTheMethod() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException(
                "bean", new ShmHandlerDefinitionException("svc.handle(String, String)", "broken")));
        assertThat(analysis.getDescription())
                .contains("svc.handle(String, String)")
                .contains("broken");
        assertThat(analysis.getAction()).contains("svc.handle(String, String)");
    }

    @Test
    void analyzeWhenRegionCannotBeCreatedShouldPointAtTheDirectory() {
        FailureAnalysis analysis = analyzer.analyze(new ShmException("cannot create /nope/orders: permission denied"));
        assertThat(analysis.getDescription()).contains("permission denied");
        assertThat(analysis.getAction()).contains("shmipc.directory");
    }

    @Test
    void analyzerAndAutoConfigurationsShouldBeRegistered() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        List<String> analyzers = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources("META-INF/spring.factories"))) {
            analyzers.add(PropertiesLoaderUtils.loadProperties(new UrlResource(url))
                    .getProperty(FailureAnalyzer.class.getName(), ""));
        }
        assertThat(analyzers).anySatisfy(names -> assertThat(names).contains(ShmFailureAnalyzer.class.getName()));
        assertThat(ImportCandidates.load(AutoConfiguration.class, loader).getCandidates())
                .contains(
                        ShmAutoConfiguration.class.getName(),
                        ShmHealthAutoConfiguration.class.getName(),
                        ShmMetricsAutoConfiguration.class.getName());
    }

    @Test
    void analyzeWhenUnrelatedShouldLeaveItToOthers() {
        assertThat(analyzer.analyze(new IllegalStateException("other"))).isNull();
    }
}

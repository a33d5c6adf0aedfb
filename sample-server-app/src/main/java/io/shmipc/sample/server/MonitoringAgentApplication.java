package io.shmipc.sample.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A runtime monitoring agent: other processes on this host report metric samples to it and query
 * aggregates through shared memory (routes {@code metrics.report}, {@code metrics.query} and
 * {@code echo}). Health and meters are served over HTTP by Actuator.
 */
@SpringBootApplication
@EnableConfigurationProperties(AgentProperties.class)
public class MonitoringAgentApplication {

    /**
     * Starts the agent.
     *
     * @param args Spring Boot command-line arguments, e.g. {@code --shmipc.name=agent-1}
     */
    public static void main(String[] args) {
        SpringApplication.run(MonitoringAgentApplication.class, args);
    }
}

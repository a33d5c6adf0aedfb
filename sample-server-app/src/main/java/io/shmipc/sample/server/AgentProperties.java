package io.shmipc.sample.server;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the agent's in-memory store ({@code agent.*}). Together they bound its memory: at most
 * {@code maxSeries * samplesPerSeries} samples of 16 bytes each are kept.
 *
 * @param maxSeries how many (source, metric) series the store accepts; reports for further series are refused
 * @param samplesPerSeries how many of the latest samples each series keeps; older ones are overwritten
 */
@ConfigurationProperties("agent")
public record AgentProperties(
        @DefaultValue("1024") int maxSeries,
        @DefaultValue("4096") int samplesPerSeries) {}

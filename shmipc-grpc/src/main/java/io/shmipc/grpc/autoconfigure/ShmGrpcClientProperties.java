package io.shmipc.grpc.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How a client reaches a server that is not on this host ({@code shmipc.client.*}, beside the
 * shared-memory settings of {@code ShmProperties}).
 *
 * @param transport What carries ShmTemplate calls: 'shm' (shared memory only), 'grpc' (the remote address
 *     only) or 'auto' (shared memory while a live local server serves the name, the remote address
 *     otherwise).
 * @param grpc The remote server.
 */
@ConfigurationProperties("shmipc.client")
public record ShmGrpcClientProperties(
        @DefaultValue("auto") Transport transport,
        @DefaultValue Grpc grpc) {

    /** What carries a client's calls. */
    public enum Transport {
        /** Shared memory only. */
        SHM,
        /** The remote gRPC address only. */
        GRPC,
        /** Shared memory while a live local server serves the name, the remote address otherwise. */
        AUTO
    }

    /**
     * The remote server.
     *
     * @param address The remote server: host:port, or the name of a channel configured under
     *     spring.grpc.client.channel.<name> (for TLS and other channel settings).
     * @param maxPayload The largest request sent over gRPC; larger ones are refused before sending.
     * @param localCheckInterval With transport 'auto', how often to look for a local server while calls go to
     *     the remote address.
     * @param healthTimeout How long the health indicator waits for the remote end to answer.
     */
    public record Grpc(
            @Nullable String address,
            @DefaultValue("4MB") DataSize maxPayload,
            @DefaultValue("1s") Duration localCheckInterval,
            @DefaultValue("2s") Duration healthTimeout) {}
}

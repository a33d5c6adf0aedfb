package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmConfigException;
import io.shmipc.core.WaitMode;
import io.shmipc.spring.ShmHandlerExecution;
import io.shmipc.spring.ShmRole;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Settings of shmipc, bound from {@code shmipc.*} and checked when bound, so a bad value stops startup
 * with a message naming the property.
 *
 * @param name The name shared by the server and its clients; also the region file's name. Letters, digits, '.', '_' and '-', at most 100 characters, not starting with a dot. Required.
 * @param role Which side this application takes: 'server' always serves, 'client' never serves, 'auto' serves when the application has @ShmHandler methods and no other server holds the name, otherwise acts as a client.
 * @param directory Folder of the region and lock files. Defaults to /dev/shm where it exists, else a 'shmipc' folder under java.io.tmpdir.
 * @param codec Encoding of payloads other than byte[], ByteBuffer and String: 'json' (readable; the application's JsonMapper), 'cbor' (binary; the application's CBORMapper) or 'smile' (binary; needs jackson-dataformat-smile). The binary ones take the same Jackson annotations and no schema. Clients and server must use the same.
 * @param client Settings of the calling side.
 * @param waiting How waiting threads wait.
 * @param server Settings of the serving side.
 * @param liveness How a dead server is detected.
 */
@ConfigurationProperties("shmipc")
public record ShmProperties(
        String name,
        @DefaultValue("auto") ShmRole role,
        Path directory,
        @DefaultValue("json") Codec codec,
        @DefaultValue Client client,
        @Name("wait") @DefaultValue Wait waiting,
        @DefaultValue Server server,
        @DefaultValue Liveness liveness) {

    /**
     * Checks every value, including those the engine checks, so errors surface at binding.
     *
     * @throws InvalidShmPropertiesException naming the property to fix
     */
    public ShmProperties {
        if (name == null || name.isBlank()) {
            throw new InvalidShmPropertiesException(
                    "shmipc.name",
                    "shmipc.name is not set; set it to the name the server"
                            + " and its clients share, e.g. shmipc.name=orders");
        }
        if (client.timeout().isNegative() || client.timeout().isZero()) {
            throw new InvalidShmPropertiesException(
                    "shmipc.client.timeout", "shmipc.client.timeout must be positive, was " + client.timeout());
        }
        try {
            ShmConfig.validateName(name);
            buildConfig(directory, client, waiting, server, liveness);
        } catch (ShmConfigException ex) {
            String property = property(ex.setting());
            throw new InvalidShmPropertiesException(property, property + " " + ex.problem());
        }
    }

    /**
     * The property that sets an engine setting.
     *
     * @param setting the engine's setting
     * @return its {@code shmipc.*} property
     */
    static String property(ShmConfigException.Setting setting) {
        return switch (setting) {
            case NAME -> "shmipc.name";
            case DIRECTORY -> "shmipc.directory";
            case SLOT_COUNT -> "shmipc.server.slots";
            case SLOT_CAPACITY -> "shmipc.server.slot-size";
            case FILE_MODE -> "shmipc.server.file-mode";
            case WAIT_MODE -> "shmipc.wait.mode";
            case SPIN_TIME -> "shmipc.wait.spin";
            case LIVENESS_INTERVAL -> "shmipc.liveness.interval";
            case LIVENESS_TIMEOUT -> "shmipc.liveness.timeout";
            case SERVER_CONCURRENCY -> "shmipc.server.concurrency";
            case SHUTDOWN_GRACE -> "shmipc.server.shutdown-grace";
        };
    }

    /** @return the engine configuration these properties describe */
    public ShmConfig toShmConfig() {
        return buildConfig(directory, client, waiting, server, liveness);
    }

    private static ShmConfig buildConfig(
            Path directory, Client client, Wait waiting, Server server, Liveness liveness) {
        ShmConfig.Builder builder = ShmConfig.builder()
                .slotCount(server.slots())
                .slotCapacity((int) server.slotSize().toBytes())
                .fileMode(server.fileMode())
                .fileOwner(client.fileOwner())
                .waitMode(waiting.mode())
                .spinTime(waiting.spin())
                .serverConcurrency(server.concurrency())
                .shutdownGrace(server.shutdownGrace())
                .livenessInterval(liveness.interval())
                .livenessTimeout(liveness.timeout());
        if (directory != null) {
            builder.directory(directory);
        }
        return builder.build();
    }

    /** Encodings of the default codec, all through Jackson 3 with the same annotations. */
    public enum Codec {
        /** JSON: readable, the application's {@code JsonMapper}. */
        JSON,
        /** CBOR (RFC 8949): binary; the application's {@code CBORMapper} when Spring Boot defines one. */
        CBOR,
        /** Smile: Jackson's binary JSON; needs {@code tools.jackson.dataformat:jackson-dataformat-smile}. */
        SMILE
    }

    /**
     * @param timeout Default timeout of a ShmTemplate call.
     * @param failFast Whether a client application refuses to start when no server is running. Otherwise it connects on its first call.
     * @param fileOwner User a client trusts to own the region besides itself and root: set it to the server's user when clients run as another user. A region owned by anyone else may have been planted by another user and is refused.
     */
    public record Client(
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("false") boolean failFast,
            String fileOwner) {}

    /**
     * @param mode How waiters wait: 'spin' (lowest latency, burns a core per waiter), 'hybrid' (spin, then block), 'block' (lowest CPU).
     * @param spin How long 'hybrid' spins before blocking.
     */
    public record Wait(
            @DefaultValue("hybrid") WaitMode mode,
            @DefaultValue("100us") Duration spin) {}

    /**
     * @param slots Number of request slots, i.e. requests in flight at once. 1 gives the classic one-client-at-a-time mutex. Clients read the server's geometry from the region.
     * @param slotSize Payload capacity of one slot: the largest request or reply.
     * @param fileMode POSIX mode of the region and lock files, as octal text. Quote it in YAML ("0660"), where a bare 0660 is read as a decimal number.
     * @param concurrency Size of a fixed pool of platform threads running every request; 1 (the default) has no pool, and shmipc.server.execution decides where handlers run.
     * @param shutdownGrace How long a stopping server lets in-flight requests finish; capped by spring.lifecycle.timeout-per-shutdown-phase.
     * @param execution Where @ShmHandler methods run: 'adaptive' runs each on the dispatch thread until two calls in a row take longer than the blocking threshold, then on virtual threads (asynchronous handlers always on virtual threads); 'dispatch-thread' runs every request on the dispatch thread, one at a time; 'virtual-threads' runs every request on its own virtual thread. Requests in flight are bounded by the slot count.
     * @param blockingThreshold How long a handler call may keep the dispatch thread; two longer calls in a row make 'adaptive' execution move that handler to virtual threads.
     * @param observationEnabled Whether served requests are observed (shmipc.server.requests timers and spans).
     * @param exitZeroOnSigterm Whether SIGTERM ends the JVM with exit code 0 while the server runs, after the same graceful stop (drain, files removed), instead of the JVM's 143; false keeps the JVM's own SIGTERM handling.
     */
    public record Server(
            @DefaultValue("16") int slots,
            @DefaultValue("64KB") DataSize slotSize,
            @DefaultValue("0600") String fileMode,
            @DefaultValue("1") int concurrency,
            @DefaultValue("10s") Duration shutdownGrace,
            @DefaultValue("adaptive") ShmHandlerExecution execution,
            @DefaultValue("1ms") Duration blockingThreshold,
            @DefaultValue("true") boolean observationEnabled,
            @DefaultValue("true") boolean exitZeroOnSigterm) {

        /** Checks what the engine does not. */
        public Server {
            if (slotSize.toBytes() > Integer.MAX_VALUE) {
                throw new InvalidShmPropertiesException(
                        "shmipc.server.slot-size", "shmipc.server.slot-size must be at most 1GB, was " + slotSize);
            }
            if (blockingThreshold.isNegative() || blockingThreshold.isZero()) {
                throw new InvalidShmPropertiesException(
                        "shmipc.server.blocking-threshold",
                        "shmipc.server.blocking-threshold must be positive, was " + blockingThreshold);
            }
        }
    }

    /**
     * @param interval How often the server beats its heartbeat and reclaims slots of dead clients.
     * @param timeout Silence after which a client declares the server dead; at least twice the interval.
     */
    public record Liveness(
            @DefaultValue("250ms") Duration interval,
            @DefaultValue("1s") Duration timeout) {}
}

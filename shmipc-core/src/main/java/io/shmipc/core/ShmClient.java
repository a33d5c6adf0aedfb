package io.shmipc.core;

import io.shmipc.core.internal.ClientConnection;
import io.shmipc.core.internal.HeaderCodec;
import io.shmipc.core.internal.NativeAccessCheck;
import io.shmipc.core.internal.OutgoingCall;
import io.shmipc.core.internal.RegionReplacedException;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.signal.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A client of the server for a name. Thread-safe: share one per name and process. Connects lazily on
 * the first call, and reconnects by itself when a server comes back after stopping or dying.
 *
 * <p>Every call either returns the reply or throws one of the {@link ShmException} subclasses; none
 * waits longer than its timeout, and a call waiting on a server that dies fails within the liveness
 * timeout.
 */
public final class ShmClient implements AutoCloseable {

    private final RegionPaths paths;
    private final ShmConfig config;
    private final Futex futex = Futex.forPlatform();
    private final Map<String, byte[]> encodedRoutes = new ConcurrentHashMap<>();
    private final Object connectLock = new Object();
    private volatile @Nullable ClientConnection connection;
    private volatile boolean closed;

    /**
     * Creates a client. Does no I/O; see {@link #connect()} to fail fast.
     *
     * @param name the shmipc name
     * @param config settings; the wait mode, spin time and liveness settings apply, geometry comes from the server
     * @throws IllegalArgumentException when the name is invalid
     */
    public ShmClient(String name, ShmConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.paths = RegionPaths.of(config.directory(), name);
        NativeAccessCheck.warnOnce();
    }

    /**
     * Checks one header before it is sent: a name of 1 to 255 UTF-8 bytes, a non-null value, no text that
     * UTF-8 cannot carry (a lone surrogate), and an entry that fits the 320-byte headers area. A call checks
     * its headers the same way (and their total size) before anything is written; this lets an API refuse
     * a header where it is added.
     *
     * @param name the header name
     * @param value the header value
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkHeader(String name, String value) {
        HeaderCodec.checkHeader(name, value);
    }

    /** @return the shmipc name */
    public String name() {
        return paths.name();
    }

    /** @return the region file this client maps */
    public Path path() {
        return paths.region();
    }

    /**
     * Connects now instead of on the first call.
     *
     * @throws ShmServerUnavailableException when no live server serves the name
     * @throws ShmProtocolException when the region has another magic or layout version
     */
    public void connect() {
        // A connection made earlier may have outlived its server: check, as a call would.
        withConnection(current -> current.checkAcceptingCalls(System.nanoTime()));
    }

    /**
     * Runs {@code work} on the current connection, retained meanwhile. When the connection's server is gone
     * and its files were replaced (see {@link RegionReplacedException}), nothing was sent: the path is mapped
     * afresh and {@code work} runs once more.
     */
    private void withConnection(java.util.function.Consumer<ClientConnection> work) {
        try {
            for (int attempt = 0; ; attempt++) {
                ClientConnection current = acquire();
                try {
                    work.accept(current);
                    return;
                } catch (RegionReplacedException e) {
                    if (attempt > 0) {
                        throw e;
                    }
                } finally {
                    current.release();
                }
            }
        } catch (InternalError e) {
            throw mappingFault(e);
        }
    }

    /** @return true when a live server serves the name and accepts calls right now; cheap once connected */
    public boolean isServerAvailable() {
        try {
            connect();
            return true;
        } catch (ShmServerUnavailableException | ShmProtocolException e) {
            return false;
        }
    }

    /** @return the current region header, or null when no server's region is there */
    public @Nullable ShmRegionInfo info() {
        ClientConnection current;
        try {
            current = acquireQuietly();
        } catch (ShmException e) {
            return null;
        }
        if (current == null) {
            return null;
        }
        try {
            MappedRegion region = current.region();
            int state = region.serverStateVolatile();
            String stateName = current.isRetired()
                    ? "CLOSED"
                    : state == RegionDescriptor.SERVER_RUNNING && !current.isServerAlive()
                            ? "DEAD"
                            : RegionDescriptor.serverStateName(state);
            return new ShmRegionInfo(
                    name(),
                    path(),
                    stateName,
                    region.serverPid(),
                    region.epochVolatile(),
                    region.slotCount(),
                    region.slotCapacity(),
                    region.slotsInUse());
        } catch (InternalError e) {
            // The mapping faulted (its file was truncated): there is no usable region to describe.
            return null;
        } finally {
            current.release();
        }
    }

    /**
     * Calls a route with a byte payload.
     *
     * @param route the route, 1 to 128 UTF-8 bytes
     * @param request the request payload
     * @param timeout how long to wait for the reply
     * @return the reply payload
     * @throws ShmTimeoutException when no reply came in time
     * @throws ShmServerUnavailableException when no live server serves the name, or it went away
     * @throws ShmPayloadTooLargeException when the request exceeds the slot capacity (nothing was sent)
     * @throws ShmRemoteException when the handler threw
     * @throws ShmNoHandlerException when the server has no handler for the route
     * @throws ShmProtocolException when shared memory was corrupted under this call
     */
    public byte[] call(String route, byte[] request, Duration timeout) {
        return call(route, Map.of(), request, timeout);
    }

    /**
     * Calls a route with a byte payload and headers (e.g. trace context).
     *
     * @param route the route
     * @param headers small string headers; at most 320 bytes encoded in all
     * @param request the request payload
     * @param timeout how long to wait for the reply
     * @return the reply payload
     * @see #call(String, byte[], Duration)
     */
    public byte[] call(String route, Map<String, String> headers, byte[] request, Duration timeout) {
        return call(route, headers, request, ShmClient::toBytes, timeout);
    }

    /**
     * Calls a route with a byte payload, size-checked before anything is written, and reads the reply
     * (with its headers, see {@link ResponseReader#read(MemorySegment, Map)}) straight from the slot.
     *
     * @param route the route
     * @param headers small string headers, may be empty
     * @param request the request payload
     * @param reader decodes the reply
     * @param timeout how long to wait for the reply
     * @param <T> the decoded reply type
     * @return what {@code reader} returned
     * @see #call(String, byte[], Duration)
     */
    public <T> T call(
            String route, Map<String, String> headers, byte[] request, ResponseReader<T> reader, Duration timeout) {
        Objects.requireNonNull(request, "request");
        return call(route, headers, copyOf(request), request.length, reader, timeout);
    }

    private static RequestWriter copyOf(byte[] request) {
        return buffer -> {
            MemorySegment.copy(request, 0, buffer, ValueLayout.JAVA_BYTE, 0, request.length);
            return request.length;
        };
    }

    private static byte[] toBytes(MemorySegment reply) {
        return reply.toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Calls a route without waiting: no thread waits for the reply. The engine's reply thread (one per
     * connection, started when needed and gone when idle) completes the future, so dependent stages
     * added with the non-async methods ({@code thenApply}, ...) run on that thread: keep them short
     * and non-blocking, or use the {@code *Async} variants with an executor. With all slots of this
     * process in use, the call waits in a queue in memory, not in a thread.
     *
     * @param route the route, 1 to 128 UTF-8 bytes
     * @param request the request payload; copied into the slot when the call gets one, so do not change
     *                it until the future completes
     * @param timeout how long to wait for the reply, counted from now
     * @return the reply payload, or a future failed with the exceptions {@link #call(String, byte[], Duration)}
     *         throws
     * @throws IllegalArgumentException when the route or timeout is invalid (nothing is sent)
     */
    public CompletableFuture<byte[]> callAsync(String route, byte[] request, Duration timeout) {
        return callAsync(route, Map.of(), request, timeout);
    }

    /**
     * Calls a route with headers without waiting.
     *
     * @param route the route
     * @param headers small string headers; at most 320 bytes encoded in all
     * @param request the request payload; do not change it until the future completes
     * @param timeout how long to wait for the reply
     * @return the reply payload
     * @see #callAsync(String, byte[], Duration)
     */
    public CompletableFuture<byte[]> callAsync(
            String route, Map<String, String> headers, byte[] request, Duration timeout) {
        return callAsync(route, headers, request, ShmClient::toBytes, timeout);
    }

    /**
     * Calls a route with a byte payload without waiting, and reads the reply (with its headers, see
     * {@link ResponseReader#read(MemorySegment, Map)}) straight from the slot on the engine's reply
     * thread, so {@code reader} must not block.
     *
     * @param route the route
     * @param headers small string headers, may be empty
     * @param request the request payload; do not change it until the future completes
     * @param reader decodes the reply
     * @param timeout how long to wait for the reply
     * @param <T> the decoded reply type
     * @return what {@code reader} returned
     * @see #callAsync(String, byte[], Duration)
     */
    public <T> CompletableFuture<T> callAsync(
            String route, Map<String, String> headers, byte[] request, ResponseReader<T> reader, Duration timeout) {
        Objects.requireNonNull(request, "request");
        return callAsync(route, headers, copyOf(request), request.length, reader, timeout);
    }

    /**
     * Zero-copy call without waiting: {@code writer} writes the request into the slot when the call
     * gets one (possibly later, on another thread), and {@code reader} decodes the reply on the
     * engine's reply thread, so it must not block.
     *
     * @param route the route
     * @param headers small string headers, may be empty
     * @param writer writes the request into the slot
     * @param reader decodes the reply; it must not keep the segment
     * @param timeout how long to wait for the reply
     * @param <T> the decoded reply type
     * @return what {@code reader} returned
     * @see #callAsync(String, byte[], Duration)
     */
    public <T> CompletableFuture<T> callAsync(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            ResponseReader<T> reader,
            Duration timeout) {
        return callAsync(route, headers, writer, -1, reader, timeout);
    }

    private <T> CompletableFuture<T> callAsync(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            int knownSize,
            ResponseReader<T> reader,
            Duration timeout) {
        OutgoingCall<T> call = OutgoingCall.of(route, headers, writer, knownSize, reader, timeout, this::encodeRoute);
        for (int attempt = 0; ; attempt++) {
            ClientConnection current;
            try {
                current = acquire();
            } catch (ShmException e) {
                return CompletableFuture.failedFuture(e);
            }
            try {
                // The call takes over this retain and releases it when it finishes.
                return current.exchangeAsync(call);
            } catch (RegionReplacedException e) {
                // Not taken over, and nothing was sent: map the path afresh and submit once more.
                current.release();
                if (attempt > 0) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        }
    }

    /**
     * Zero-copy call: {@code writer} writes the request into the slot and {@code reader} reads the
     * reply from it.
     *
     * @param route the route
     * @param headers small string headers, may be empty
     * @param writer writes the request into the slot
     * @param reader decodes the reply
     * @param timeout how long to wait for the reply
     * @param <T> the decoded reply type
     * @return what {@code reader} returned
     * @see #call(String, byte[], Duration)
     */
    public <T> T call(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            ResponseReader<T> reader,
            Duration timeout) {
        return call(route, headers, writer, -1, reader, timeout);
    }

    private <T> T call(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            int knownSize,
            ResponseReader<T> reader,
            Duration timeout) {
        OutgoingCall<T> call = OutgoingCall.of(route, headers, writer, knownSize, reader, timeout, this::encodeRoute);
        // The retry of withConnection(), written out: no capturing lambda on the hot path.
        try {
            for (int attempt = 0; ; attempt++) {
                ClientConnection current = acquire();
                try {
                    return current.exchange(call);
                } catch (RegionReplacedException e) {
                    if (attempt > 0) {
                        throw e;
                    }
                } finally {
                    current.release();
                }
            }
        } catch (InternalError e) {
            throw mappingFault(e);
        }
    }

    /**
     * An access to a mapping whose file was truncated under it raises SIGBUS, which the JVM reports as
     * an {@link InternalError}, and in compiled code possibly a little after the faulting access. Such an
     * error is turned into a typed failure, and the connection is retired, so the next call maps the file
     * afresh (or finds it gone). Any other InternalError is rethrown.
     */
    private ShmServerUnavailableException mappingFault(InternalError e) {
        String message = e.getMessage();
        if (message == null || !message.contains("unsafe memory access")) {
            throw e;
        }
        ClientConnection current = connection;
        if (current != null) {
            current.markBroken();
        }
        return new ShmServerUnavailableException(
                "the shmipc region " + paths.region() + " of '" + name()
                        + "' can no longer be accessed (was the file truncated?); the outcome of this call is"
                        + " unknown. The next call reconnects",
                true);
    }

    private byte[] encodeRoute(String route) {
        Objects.requireNonNull(route, "route");
        byte[] bytes = encodedRoutes.get(route);
        if (bytes == null) {
            bytes = route.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 1 || bytes.length > SlotDescriptor.ROUTE_CAPACITY) {
                throw new IllegalArgumentException("route '" + route + "' must be 1 to " + SlotDescriptor.ROUTE_CAPACITY
                        + " UTF-8 bytes, was " + bytes.length);
            }
            if (encodedRoutes.size() < 10_000) {
                encodedRoutes.put(route, bytes);
            }
        }
        return bytes;
    }

    /** @return the live connection, retained for the caller */
    private ClientConnection acquire() {
        ClientConnection current = connection;
        if (current != null && !current.isRetired() && current.retain()) {
            return current;
        }
        synchronized (connectLock) {
            if (closed) {
                throw new ShmServerUnavailableException("shmipc client for name '" + name() + "' is closed");
            }
            current = connection;
            if (current != null && !current.isRetired() && current.retain()) {
                return current;
            }
            if (current != null) {
                connection = null;
                current.release();
            }
            current = ClientConnection.open(paths, config, futex);
            connection = current;
            current.retain();
            return current;
        }
    }

    /** @return the connection as {@link #acquire()}, but without the liveness check, or null if there is no region */
    private @Nullable ClientConnection acquireQuietly() {
        try {
            return acquire();
        } catch (ShmServerUnavailableException e) {
            ClientConnection current = connection;
            return current != null && current.retain() ? current : null;
        }
    }

    /** Releases the mapping and the client registration once calls in progress finish; new calls fail. Idempotent. */
    @Override
    public void close() {
        synchronized (connectLock) {
            if (closed) {
                return;
            }
            closed = true;
            ClientConnection current = connection;
            connection = null;
            if (current != null) {
                current.release();
            }
        }
    }
}

package io.shmipc.core.internal;

import io.shmipc.core.RequestWriter;
import io.shmipc.core.ResponseReader;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One call's arguments, checked and encoded once, with its deadline: what blocking and async calls
 * share, from {@code ShmClient} down to the slot (see {@link ClientConnection#prepare}).
 *
 * @param route the route, for messages and remote errors
 * @param routeBytes the route in UTF-8, checked to fit the slot's route area
 * @param headers the encoded request headers, checked to fit the slot's headers area
 * @param writer writes the request payload into the slot
 * @param knownSize the payload size when known before writing (checked before anything is written), else -1
 * @param reader reads the reply from the slot
 * @param deadline {@link System#nanoTime()} by which the reply must have come
 * @param timeout the timeout the deadline came from, for messages
 * @param <T> what the reader returns
 */
@SuppressWarnings("ArrayRecordComponent") // encoded once and only read; copies would cost every call
public record OutgoingCall<T>(
        String route,
        byte[] routeBytes,
        byte[] headers,
        RequestWriter writer,
        int knownSize,
        ResponseReader<T> reader,
        long deadline,
        Duration timeout) {

    /**
     * Checks and encodes a call's arguments and starts its clock.
     *
     * @param routeEncoder the route's UTF-8 bytes, checked (and cached) by the client
     * @throws IllegalArgumentException when the timeout is not positive, or the route or headers do not fit
     * @throws NullPointerException when the writer or reader is missing
     */
    public static <T> OutgoingCall<T> of(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            int knownSize,
            ResponseReader<T> reader,
            Duration timeout,
            Function<String, byte[]> routeEncoder) {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(reader, "reader");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return new OutgoingCall<>(
                route,
                routeEncoder.apply(route),
                HeaderCodec.encode(headers),
                writer,
                knownSize,
                reader,
                deadline,
                timeout);
    }
}

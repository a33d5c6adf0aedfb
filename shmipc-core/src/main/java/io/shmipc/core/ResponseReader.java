package io.shmipc.core;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a reply straight from the slot: the zero-copy path of {@link ShmClient}.
 *
 * @param <T> what the reader makes of the reply; may be nullable, e.g. a decoded empty reply
 */
@FunctionalInterface
public interface ResponseReader<T extends @Nullable Object> {

    /**
     * @param reply read-only view of the reply, valid only during this call
     * @return the decoded reply
     */
    T read(MemorySegment reply);

    /**
     * Reads a reply together with the headers its handler set (see {@link ShmResponse#headers(Map)}).
     * The engine always calls this method; by default it ignores the headers and calls
     * {@link #read(MemorySegment)}, so a lambda reader keeps working.
     *
     * @param reply read-only view of the reply, valid only during this call
     * @param headers the reply headers, empty when the handler set none; decoded only when present
     * @return the decoded reply
     */
    default T read(MemorySegment reply, Map<String, String> headers) {
        return read(reply);
    }
}

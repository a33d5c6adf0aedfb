package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmResponse;
import io.shmipc.core.internal.region.MappedRegion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The server's view of one slot while it serves a request: the {@link ShmRequest} and the
 * {@link ShmResponse} handed to the handler. One instance per slot, reused for every request in it,
 * so serving allocates little; handlers must not keep it past their call.
 */
public final class SlotExchange implements ShmRequest, ShmResponse {

    private final MappedRegion region;
    private final int slot;
    private final MemorySegment payloadArea;
    private @Nullable String route;
    private int size;
    private @Nullable Map<String, String> headers;
    private int replyLength;
    private int replyHeadersLength;
    /** Size of a reply refused for not fitting, or -1: tells our refusal from one a handler merely passed on. */
    private long refusedReplySize;

    public SlotExchange(MappedRegion region, int slot) {
        this.region = region;
        this.slot = slot;
        this.payloadArea = region.payloadArea(slot);
    }

    /**
     * Reads and validates the request fields. The caller has just moved the slot to PROCESSING with
     * a compare-and-set, which acquires the client's plain writes made before its REQUEST store.
     *
     * @return null when the request is well-formed, else what is wrong with it
     */
    public @Nullable String load() {
        int routeLength = region.intField(slot, ROUTE_LENGTH_OFFSET);
        int payloadLength = region.intField(slot, PAYLOAD_LENGTH_OFFSET);
        int headersLength = region.intField(slot, HEADERS_LENGTH_OFFSET);
        if (routeLength < 1 || routeLength > ROUTE_CAPACITY) {
            return "route length " + routeLength + " is outside 1.." + ROUTE_CAPACITY;
        }
        if (payloadLength < 0 || payloadLength > region.slotCapacity()) {
            return "payload length " + payloadLength + " is outside 0.." + region.slotCapacity();
        }
        if (headersLength < 0 || headersLength > HEADERS_CAPACITY) {
            return "headers length " + headersLength + " is outside 0.." + HEADERS_CAPACITY;
        }
        try {
            headers = headersLength == 0
                    ? Map.of()
                    : HeaderCodec.decode(region.headersArea(slot).asSlice(0, headersLength));
        } catch (ShmProtocolException e) {
            return e.getMessage();
        }
        route = new String(
                region.routeArea(slot).asSlice(0, routeLength).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        size = payloadLength;
        replyLength = 0;
        replyHeadersLength = 0;
        refusedReplySize = -1;
        return null;
    }

    int replyLength() {
        return replyLength;
    }

    /** @return the encoded length of the reply headers already written into the headers area, 0 when none */
    int replyHeadersLength() {
        return replyHeadersLength;
    }

    /** @return the size of a reply this response refused as too large, or -1 */
    long refusedReplySize() {
        return refusedReplySize;
    }

    /**
     * Writes text as the reply payload, cut to the capacity.
     *
     * @return the bytes written
     */
    int writeText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, region.slotCapacity());
        MemorySegment.copy(bytes, 0, payloadArea, ValueLayout.JAVA_BYTE, 0, length);
        return length;
    }

    /**
     * Replaces the request's headers with the reply's: the headers area is the client's until PROCESSING
     * and the server's afterwards.
     *
     * @param encoded headers encoded by {@link HeaderCodec}, at most the headers capacity; empty for none
     */
    private void writeReplyHeaders(byte[] encoded) {
        MemorySegment.copy(encoded, 0, region.headersArea(slot), ValueLayout.JAVA_BYTE, 0, encoded.length);
        // Published with the reply by the dispatcher's completion, which writes the headers length.
        replyHeadersLength = encoded.length;
    }

    int writeLong(long value) {
        payloadArea.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        return Long.BYTES;
    }

    // ---------------------------------------------------------------- ShmRequest

    @Override
    @SuppressWarnings("NullAway") // load() sets it before the request is handed to anyone
    public String route() {
        return route;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public MemorySegment payload() {
        return payloadArea.asSlice(0, size).asReadOnly();
    }

    @Override
    public ByteBuffer payloadBuffer() {
        return payloadArea.asSlice(0, size).asByteBuffer().asReadOnlyBuffer();
    }

    @Override
    public byte[] payloadBytes() {
        return payloadArea.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    @SuppressWarnings("NullAway") // load() sets it before the request is handed to anyone
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public long requestId() {
        return region.longField(slot, REQUEST_ID_OFFSET);
    }

    @Override
    public long clientPid() {
        return region.longField(slot, OWNER_PID_OFFSET);
    }

    @Override
    public long deadlineEpochMillis() {
        return region.longField(slot, DEADLINE_OFFSET);
    }

    // ---------------------------------------------------------------- ShmResponse

    @Override
    public int capacity() {
        return region.slotCapacity();
    }

    @Override
    public void write(byte[] reply) {
        checkFits(reply.length);
        MemorySegment.copy(reply, 0, payloadArea, ValueLayout.JAVA_BYTE, 0, reply.length);
        replyLength = reply.length;
    }

    @Override
    public void write(ByteBuffer reply) {
        int length = reply.remaining();
        checkFits(length);
        MemorySegment source = MemorySegment.ofBuffer(reply);
        // A handler that returns (a prefix of) the request's own view replies in place: nothing to copy.
        if (!source.isNative() || source.address() != payloadArea.address()) {
            MemorySegment.copy(source, 0, payloadArea, 0, length);
        }
        replyLength = length;
    }

    @Override
    public MemorySegment buffer() {
        return payloadArea;
    }

    @Override
    public void commit(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("reply length must not be negative, was " + length);
        }
        checkFits(length);
        replyLength = length;
    }

    @Override
    public void headers(Map<String, String> replyHeaders) {
        // Encode first: bad headers throw before anything in the slot changes. The request headers were
        // decoded into a map by load(), so overwriting their bytes loses nothing the handler can see.
        byte[] encoded = HeaderCodec.encode(replyHeaders);
        MemorySegment.copy(encoded, 0, region.headersArea(slot), ValueLayout.JAVA_BYTE, 0, encoded.length);
        replyHeadersLength = encoded.length;
    }

    private void checkFits(long length) {
        if (length > region.slotCapacity()) {
            refusedReplySize = length;
            throw new ShmPayloadTooLargeException("reply", length, region.slotCapacity());
        }
    }
}

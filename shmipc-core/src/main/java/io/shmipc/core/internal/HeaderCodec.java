package io.shmipc.core.internal;

import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.internal.layout.SlotDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes the small string headers carried in a slot (trace context and the like):
 * repeated {@code [u8 key length][key][u16 LE value length][value]}, UTF-8, at most
 * {@link SlotDescriptor#HEADERS_CAPACITY} bytes in all.
 */
public final class HeaderCodec {

    static final byte[] EMPTY = new byte[0];

    private HeaderCodec() {}

    public static byte[] encode(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return EMPTY;
        }
        byte[] out = new byte[SlotDescriptor.HEADERS_CAPACITY];
        int position = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            checkWellFormed(header.getKey(), header.getKey(), "name");
            if (header.getValue() != null) {
                checkWellFormed(header.getKey(), header.getValue(), "value");
            }
            byte[] key = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue() == null ? EMPTY : header.getValue().getBytes(StandardCharsets.UTF_8);
            int needed = 1 + key.length + 2 + value.length;
            if (key.length == 0 || key.length > 255 || position + needed > out.length) {
                throw new IllegalArgumentException(
                        "headers do not fit in a slot: at most " + SlotDescriptor.HEADERS_CAPACITY
                                + " bytes encoded, keys of 1 to 255 bytes; header '" + header.getKey() + "'");
            }
            out[position++] = (byte) key.length;
            System.arraycopy(key, 0, out, position, key.length);
            position += key.length;
            out[position++] = (byte) value.length;
            out[position++] = (byte) (value.length >>> 8);
            System.arraycopy(value, 0, out, position, value.length);
            position += value.length;
        }
        return java.util.Arrays.copyOf(out, position);
    }

    /**
     * Checks one header on its own: a name of 1 to 255 UTF-8 bytes, a value, neither holding text UTF-8
     * cannot carry (a lone surrogate, which {@link String#getBytes} would silently turn into '?', so the
     * server would see another value than the one sent), and an entry that fits the headers area.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkHeader(String name, String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("header '" + name + "' has a null " + (name == null ? "name" : "value")
                    + "; leave the header out instead");
        }
        checkWellFormed(name, name, "name");
        checkWellFormed(name, value, "value");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > 255) {
            throw new IllegalArgumentException(
                    "header name '" + name + "' must be 1 to 255 UTF-8 bytes, was " + nameBytes);
        }
        int entryBytes = 1 + nameBytes + 2 + value.getBytes(StandardCharsets.UTF_8).length;
        if (entryBytes > SlotDescriptor.HEADERS_CAPACITY) {
            throw new IllegalArgumentException("header '" + name + "' takes " + entryBytes + " bytes encoded, but all"
                    + " headers of a message share " + SlotDescriptor.HEADERS_CAPACITY
                    + " bytes; send large values in the payload");
        }
    }

    private static void checkWellFormed(String name, String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("header " + what + " of '" + name
                        + "' holds a lone UTF-16 surrogate at index " + i + ", which UTF-8 cannot carry");
            }
        }
    }

    /**
     * @param area the headers bytes, already bounded to the declared length
     * @return the headers
     * @throws ShmProtocolException when an entry runs past the area
     */
    public static Map<String, String> decode(MemorySegment area) {
        Map<String, String> headers = new LinkedHashMap<>();
        long length = area.byteSize();
        long position = 0;
        while (position < length) {
            int keyLength = Byte.toUnsignedInt(area.get(ValueLayout.JAVA_BYTE, position++));
            if (keyLength == 0 || position + keyLength + 2 > length) {
                throw new ShmProtocolException(
                        "malformed headers: key of " + keyLength + " bytes at offset " + (position - 1));
            }
            String key = text(area, position, keyLength);
            position += keyLength;
            int valueLength = Byte.toUnsignedInt(area.get(ValueLayout.JAVA_BYTE, position))
                    | Byte.toUnsignedInt(area.get(ValueLayout.JAVA_BYTE, position + 1)) << 8;
            position += 2;
            if (position + valueLength > length) {
                throw new ShmProtocolException(
                        "malformed headers: value of " + valueLength + " bytes runs past the end");
            }
            headers.put(key, text(area, position, valueLength));
            position += valueLength;
        }
        return headers;
    }

    private static String text(MemorySegment area, long offset, int length) {
        return new String(area.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}

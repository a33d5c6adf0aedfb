package io.shmipc.grpc;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request headers in one binary metadata entry, so that names keep their case and values may hold any
 * UTF-8 (gRPC's own ASCII metadata allows neither).
 *
 * <pre>
 * u16 count, then count times: name, value; each as java.io.DataOutput.writeUTF writes it
 * (u16 length, then modified UTF-8), big-endian
 * </pre>
 */
final class ShmGrpcHeaders {

    private ShmGrpcHeaders() {}

    static byte[] encode(Map<String, String> headers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(headers.size());
            for (Map.Entry<String, String> header : headers.entrySet()) {
                // writeUTF is modified UTF-8 with a u16 length: exactly the bounded form wanted here.
                out.writeUTF(header.getKey());
                out.writeUTF(header.getValue());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    static Map<String, String> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            int count = in.readUnsignedShort();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                headers.put(in.readUTF(), in.readUTF());
            }
            return headers;
        } catch (IOException ex) {
            throw new IllegalArgumentException("malformed shmipc-headers-bin metadata: " + ex.getMessage(), ex);
        }
    }
}

package io.shmipc.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * How a shmipc call travels over gRPC: one generic unary method whose request and reply are the raw
 * payload bytes, with the route, the headers and the error details in metadata. No {@code .proto} file
 * and no generated code: the payload is whatever the {@code ShmCodec} wrote, as on shared memory.
 *
 * <pre>
 * method            shmipc.v1.Shm/Call                          unary, bytes in, bytes out
 *                   shmipc.v1.Shm/Ping                          unary, empty in, empty out: the server answers
 * request metadata  shmipc-route          (ASCII)               the route, required
 *                   shmipc-headers-bin    (binary)              the request headers, see ShmGrpcHeaders
 * reply headers    shmipc-headers-bin    (binary)              the reply headers a handler set, if any
 * reply trailers    shmipc-remote-type    (ASCII)               on an error status: the handler's exception class
 *                   shmipc-remote-message-bin (binary, UTF-8)   its message
 *                   shmipc-error-code-bin (binary, UTF-8)   the application's error code, when it set one
 *                   shmipc-capacity       (ASCII, decimal)      on RESOURCE_EXHAUSTED: the limit that applied
 *                   shmipc-size           (ASCII, decimal)      on RESOURCE_EXHAUSTED: the refused size
 * </pre>
 *
 * <p>Status codes: {@code OK} carries the reply; {@code UNIMPLEMENTED} with a {@code shmipc-route}
 * trailer means no handler for the route (without it, the remote end serves no shmipc at all);
 * {@code UNKNOWN} with {@code shmipc-remote-type} means the handler threw; {@code RESOURCE_EXHAUSTED}
 * means a payload over the limit; {@code DEADLINE_EXCEEDED} means the caller's deadline passed, outcome
 * unknown.
 */
public final class ShmGrpcDescriptor {

    /** The gRPC service name. */
    public static final String SERVICE_NAME = "shmipc.v1.Shm";

    /** The one method: a shmipc call. */
    public static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Call"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    /** Answers with an empty reply without touching a handler: the health indicator's "does the remote end answer". */
    public static final MethodDescriptor<byte[], byte[]> PING = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Ping"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();

    /** The route called; in request metadata, and in trailers of a no-handler reply. */
    public static final Metadata.Key<String> ROUTE = Metadata.Key.of("shmipc-route", Metadata.ASCII_STRING_MARSHALLER);

    /** The request's headers (in request metadata) or the reply's (in response headers), see {@link ShmGrpcHeaders}. */
    public static final Metadata.Key<byte[]> HEADERS =
            Metadata.Key.of("shmipc-headers-bin", Metadata.BINARY_BYTE_MARSHALLER);

    /** The class name of the exception a handler threw. */
    public static final Metadata.Key<String> REMOTE_TYPE =
            Metadata.Key.of("shmipc-remote-type", Metadata.ASCII_STRING_MARSHALLER);

    /** The message of the exception a handler threw, UTF-8. */
    public static final Metadata.Key<byte[]> REMOTE_MESSAGE =
            Metadata.Key.of("shmipc-remote-message-bin", Metadata.BINARY_BYTE_MARSHALLER);

    /** An application error code attached to a remote error. */
    public static final Metadata.Key<byte[]> ERROR_CODE =
            Metadata.Key.of("shmipc-error-code-bin", Metadata.BINARY_BYTE_MARSHALLER);

    /** The limit that refused a payload. */
    public static final Metadata.Key<String> CAPACITY =
            Metadata.Key.of("shmipc-capacity", Metadata.ASCII_STRING_MARSHALLER);

    /** The size of a refused payload. */
    public static final Metadata.Key<String> SIZE = Metadata.Key.of("shmipc-size", Metadata.ASCII_STRING_MARSHALLER);

    private ShmGrpcDescriptor() {}

    /** Payload bytes as they are: the codec already produced the wire form. */
    private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException ex) {
                throw new UncheckedIOException("could not read a shmipc payload from gRPC", ex);
            }
        }
    }
}

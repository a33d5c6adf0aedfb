package io.shmipc.bench.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Blocking java.nio stream sockets with a 4-byte length prefix: a Unix domain socket (endpoint is a
 * path) or TCP on loopback (endpoint is a port). The server runs one thread per connection.
 */
public final class StreamSocketTransport implements Transport {

    private final String id;
    private final StandardProtocolFamily family;
    private final Function<String, SocketAddress> addressOf;
    private final EndpointKind endpointKind;

    private StreamSocketTransport(String id, StandardProtocolFamily family, Function<String, SocketAddress> addressOf) {
        this.id = id;
        this.endpointKind = family == StandardProtocolFamily.UNIX ? EndpointKind.SOCKET_FILE : EndpointKind.TCP_PORT;
        this.family = family;
        this.addressOf = addressOf;
    }

    @Override
    public boolean manyCallers() {
        return true;
    }

    public static StreamSocketTransport unixDomain() {
        return new StreamSocketTransport("uds", StandardProtocolFamily.UNIX, path -> UnixDomainSocketAddress.of(path));
    }

    public static StreamSocketTransport tcpLoopback() {
        return new StreamSocketTransport(
                "tcp",
                StandardProtocolFamily.INET,
                port -> new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)));
    }

    @Override
    public EndpointKind endpointKind() {
        return endpointKind;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public AutoCloseable startServer(String endpoint) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(family);
        server.bind(addressOf.apply(endpoint));
        Thread acceptor = Thread.ofPlatform().daemon().name(id + "-accept").start(() -> accept(server));
        return () -> {
            server.close();
            acceptor.join(1000);
            if (family == StandardProtocolFamily.UNIX) {
                Files.deleteIfExists(Path.of(endpoint));
            }
        };
    }

    private void accept(ServerSocketChannel server) {
        try {
            while (true) {
                SocketChannel connection = server.accept();
                Thread.ofPlatform().daemon().name(id + "-conn").start(() -> echo(connection));
            }
        } catch (IOException closed) {
            // The server was closed: stop accepting.
        }
    }

    private void echo(SocketChannel connection) {
        try (FramedChannel framed = new FramedChannel(connection)) {
            while (true) {
                ByteBuffer request = framed.readFrame();
                if (request == null) {
                    return;
                }
                framed.writeFrame(request);
            }
        } catch (IOException gone) {
            // The client went away: this connection's thread ends.
        }
    }

    @Override
    public Caller connect(String endpoint) throws IOException {
        SocketChannel channel = SocketChannel.open(family);
        channel.connect(addressOf.apply(endpoint));
        if (family == StandardProtocolFamily.INET) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        FramedChannel framed = new FramedChannel(channel);
        return new Caller() {
            @Override
            public byte[] call(byte[] request) throws IOException {
                framed.writeFrame(ByteBuffer.wrap(request));
                ByteBuffer reply = framed.readFrame();
                if (reply == null) {
                    throw new EOFException("the server closed the connection instead of replying");
                }
                byte[] bytes = new byte[reply.remaining()];
                reply.get(bytes);
                return bytes;
            }

            @Override
            public void close() throws IOException {
                framed.close();
            }
        };
    }
}

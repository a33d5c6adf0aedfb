package io.shmipc.bench.transport;

import io.shmipc.bench.http.HttpEchoApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A minimal Spring MVC app on Tomcat over localhost HTTP/1.1, called with the JDK HttpClient. */
public final class HttpMvcTransport implements Transport {

    @Override
    public EndpointKind endpointKind() {
        return EndpointKind.TCP_PORT;
    }

    @Override
    public String id() {
        return "http-mvc";
    }

    @Override
    public AutoCloseable startServer(String port) {
        return new SpringApplicationBuilder(HttpEchoApplication.class)
                .properties(
                        "server.port=" + port,
                        "server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .run();
    }

    @Override
    public Caller connect(String port) {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI echo = URI.create("http://127.0.0.1:" + port + HttpEchoApplication.ECHO_PATH);
        return new Caller() {
            @Override
            public byte[] call(byte[] request) throws Exception {
                HttpRequest post = HttpRequest.newBuilder(echo)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                        .build();
                HttpResponse<byte[]> response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + " from " + echo);
                }
                return response.body();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}

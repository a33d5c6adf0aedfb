package io.shmipc.interop;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The Java server the C client is tested against, run in a child JVM. Routes:
 * <ul>
 *   <li>{@code echo}: replies with the request;</li>
 *   <li>{@code fail}: throws {@link IllegalStateException} with the request as its message;</li>
 *   <li>{@code fail-code}: throws a {@link ShmRemoteException} with the error code {@code ORDER_NOT_FOUND};</li>
 *   <li>{@code slow}: prints {@code SLOW-STARTED}, waits for the {@code release} command, then echoes;</li>
 *   <li>{@code headers}: replies with the request's headers as {@code key=value;} in order;</li>
 *   <li>{@code big}: replies with as many bytes as the request's decimal text says;</li>
 *   <li>{@code reply-headers}: echoes, with reply headers {@code served-by=java} and {@code echo=<request>};</li>
 *   <li>anything else: no handler.</li>
 * </ul>
 * Args: name directory slots capacity. Prints {@code READY epoch=N}; {@code stop} closes gracefully and prints
 * {@code STOPPED}. Exits at stdin EOF, so it never outlives the test JVM.
 */
public final class InteropServerMain {

    private InteropServerMain() {}

    public static void main(String[] args) throws IOException {
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .slotCount(Integer.parseInt(args[2]))
                .slotCapacity(Integer.parseInt(args[3]))
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        CountDownLatch release = new CountDownLatch(1);
        ShmServer server = ShmServer.start(args[0], config, (request, response) -> {
            String text = new String(request.payloadBytes(), StandardCharsets.UTF_8);
            switch (request.route()) {
                case "echo" -> response.write(request.payloadBuffer());
                case "fail" -> throw new IllegalStateException(text);
                case "fail-code" ->
                    throw new ShmRemoteException(request.route(), "com.example.OrderNotFound", text, "ORDER_NOT_FOUND");
                case "slow" -> {
                    say("SLOW-STARTED");
                    release.await();
                    response.write(request.payloadBytes());
                }
                case "headers" -> {
                    StringBuilder reply = new StringBuilder();
                    request.headers()
                            .forEach((key, value) ->
                                    reply.append(key).append('=').append(value).append(';'));
                    response.write(reply.toString().getBytes(StandardCharsets.UTF_8));
                }
                case "big" -> response.write(new byte[Integer.parseInt(text)]);
                case "reply-headers" -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("served-by", "java");
                    headers.put("echo", text);
                    response.headers(headers);
                    response.write(request.payloadBytes());
                }
                default -> throw new ShmNoHandlerException(request.route());
            }
        });
        say("READY epoch=" + server.epoch());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "release" -> release.countDown();
                    case "stop" -> {
                        release.countDown();
                        server.close(Duration.ofSeconds(10));
                        say("STOPPED");
                    }
                    default -> say("UNKNOWN " + line);
                }
            }
        }
        server.close(Duration.ZERO);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

package io.shmipc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.sample.front.HeldAgentMain;
import io.shmipc.sample.front.WebFrontMain;
import io.shmipc.testing.ChildJvm;
import io.shmipc.testing.LeftoverFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape of a web application calling a local agent: a Spring MVC front ({@link WebFrontMain}) whose
 * request threads call a shmipc server ({@link HeldAgentMain}, another JVM) through the template, under 50
 * concurrent HTTP requests, with virtual request threads and with Tomcat's platform pool. Every request must get
 * its own reply, and the front must keep answering an unrelated endpoint while all 50 calls are held in flight.
 * Correctness and progress only: the calls are held by a latch in the agent, no timing is measured.
 */
class WebFrontIT {

    private static final int REQUESTS = 50;
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Path SHM = Path.of("/dev/shm");

    private final Path logs = Path.of(System.getProperty("sample.logs.dir", "target/it-logs"));
    private final String name = "shmipc-test-front-" + UUID.randomUUID();
    private final List<ChildJvm> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @AfterEach
    void stopProcessesAndRemoveRegion() throws Exception {
        for (ChildJvm process : processes.reversed()) {
            process.close();
        }
        LeftoverFiles.delete(SHM, name);
    }

    @ParameterizedTest(name = "virtual request threads: {0}")
    @ValueSource(booleans = {true, false})
    void fiftyConcurrentRequestsEachGetTheirOwnReplyWhileAnUnrelatedEndpointKeepsAnswering(boolean virtual)
            throws Exception {
        ChildJvm agent = start(ChildJvm.main(HeldAgentMain.class, name).label("held-agent"));
        agent.awaitLine(line -> line.equals("READY"), STARTUP);
        ChildJvm front = start(ChildJvm.main(WebFrontMain.class, name, Boolean.toString(virtual))
                .label(virtual ? "web-front-virtual" : "web-front-platform"));
        int port = SampleAppsIT.awaitHttpPort(front);

        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            replies.add(http.sendAsync(get(port, "/call?id=request-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        // All 50 calls are in the agent at once, each holding a request thread of the front.
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> held(agent) == REQUESTS);
        assertThat(replies).noneMatch(CompletableFuture::isDone);

        HttpResponse<String> ping = http.send(get(port, "/ping"), HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");
        assertThat(replies).noneMatch(CompletableFuture::isDone);

        agent.send("release");
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> reply = replies.get(i).get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("request-" + i + " served");
        }
        assertThat(held(agent))
                .as("every request reached the agent exactly once")
                .isEqualTo(REQUESTS);
    }

    private ChildJvm start(ChildJvm.Builder builder) {
        ChildJvm process = builder.jvmOptions("-Xmx256m").logDirectory(logs).start();
        processes.add(process);
        return process;
    }

    private static long held(ChildJvm agent) {
        return agent.lines().stream().filter(line -> line.startsWith("HELD ")).count();
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(STARTUP)
                .build();
    }
}

package io.shmipc.interop;

import static io.shmipc.interop.CClient.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmClient;
import io.shmipc.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The C client's calls reach a Java server and each gets its own reply, alone and beside Java clients. */
class CClientEchoInteropTest extends CClientInteropTestBase {

    @Test
    void echoWithUniquePayloadsFromSeveralThreadsAndProcessesGivesEveryCallItsOwnReply() {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 8)) {
            List<NativeProcess> tools = new ArrayList<>();
            try {
                for (int p = 0; p < 3; p++) {
                    // -u: every payload carries pid, thread and index, and the reply must equal it
                    tools.add(CClient.startTool(dir, "-t", "3", "-n", "1500", "-u", "-s", "100", name, "echo"));
                }
                for (NativeProcess tool : tools) {
                    assertThat(tool.waitFor(LONG))
                            .as("exit of %s: %s", tool.pid(), tool.stderr())
                            .isZero();
                    assertThat(tool.stdout()).contains("calls=4500 ok=4500 failed=0 mismatched=0");
                }
            } finally {
                tools.forEach(NativeProcess::close);
            }
        }
    }

    @Test
    void javaAndCClientsCallOneServerAtOnce() throws Exception {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 4);
                ShmClient javaClient = new ShmClient(name, Interop.javaClientConfig(dir));
                NativeProcess tool = CClient.startTool(dir, "-t", "2", "-n", "3000", "-u", name, "echo")) {
            AtomicInteger javaMismatches = new AtomicInteger();
            List<CompletableFuture<Void>> javaThreads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                javaThreads.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 3000; i++) {
                                byte[] request = ("java-" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
                                byte[] reply = javaClient.call("echo", request, LONG);
                                if (!Arrays.equals(reply, request)) {
                                    javaMismatches.incrementAndGet();
                                }
                            }
                        },
                        command -> Thread.ofPlatform().start(command)));
            }
            CompletableFuture.allOf(javaThreads.toArray(CompletableFuture[]::new))
                    .get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertThat(javaMismatches).hasValue(0);
            assertThat(tool.waitFor(LONG)).as("C tool: %s", tool.stderr()).isZero();
            assertThat(tool.stdout()).contains("calls=6000 ok=6000 failed=0 mismatched=0");
        }
    }

    @Test
    void requestAndReplyHeadersPayloadsFromAFileAndStdinAndAFullSlotTravelBetweenCAndJava() throws Exception {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 2)) {
            CClient.ToolRun headers = CClient.runTool(dir, "-H", "trace=abc-1", "-H", "tenant=blue", name, "headers");
            assertThat(headers.exit()).as(headers.stderr()).isZero();
            assertThat(headers.stdout()).isEqualTo("trace=abc-1;tenant=blue;");

            CClient.ToolRun replyHeaders = CClient.runTool(dir, "-i", name, "reply-headers", "hi");
            assertThat(replyHeaders.stdout()).isEqualTo("hi");
            assertThat(replyHeaders.stderr()).isEqualTo("header: served-by=java\nheader: echo=hi");

            Path file = dir.resolve("request.txt");
            Files.writeString(file, "from a file");
            CClient.ToolRun fromFile = CClient.runTool(dir, "-f", file.toString(), name, "echo");
            assertThat(fromFile.stdout()).isEqualTo("from a file");
            try (NativeProcess fromStdin = CClient.startTool(dir, "-f", "-", name, "echo")) {
                fromStdin.send("from stdin");
                fromStdin.closeInput();
                assertThat(fromStdin.waitFor(LONG)).as(fromStdin.stderr()).isZero();
                assertThat(fromStdin.stdout()).isEqualTo("from stdin");
            }

            CClient.ToolRun full =
                    CClient.runTool(dir, "-u", "-n", "10", "-s", Integer.toString(Interop.CAPACITY), name, "echo");
            assertThat(full.exit()).as(full.stderr()).isZero();
            assertThat(full.stdout()).contains("ok=10 failed=0 mismatched=0");
        }
    }
}

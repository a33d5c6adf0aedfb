package io.shmipc.sample.front;

import io.shmipc.spring.ShmHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A non-web agent whose route {@code front.hold} holds every call until the {@code release} command on stdin,
 * so a test can see calls in flight at the same time. Prints {@code HELD id} when a call arrives. Args: the
 * shmipc name. Runs its handlers on virtual threads with 64 slots, so 50 calls can be held at once. Closes on
 * stdin's end.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HeldAgentMain {

    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    /**
     * @param id the caller's request id
     * @return {@code id served}, once released
     * @throws InterruptedException when stopped while holding
     */
    @ShmHandler("front.hold")
    public String hold(String id) throws InterruptedException {
        say("HELD " + id);
        RELEASE.await();
        return id + " served";
    }

    /**
     * @param args the shmipc name
     * @throws IOException when stdin fails
     */
    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = SpringApplication.run(
                HeldAgentMain.class,
                "--shmipc.name=" + args[0],
                "--shmipc.role=server",
                "--shmipc.server.slots=64",
                "--shmipc.server.execution=virtual-threads",
                "--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off");
        say("READY");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("release")) {
                    RELEASE.countDown();
                }
            }
        }
        RELEASE.countDown();
        context.close();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

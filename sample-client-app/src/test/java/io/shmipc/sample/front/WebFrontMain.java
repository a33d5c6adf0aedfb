package io.shmipc.sample.front;

import io.shmipc.spring.ShmOperations;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC front on Tomcat: {@code /call?id=} calls the agent's {@code front.hold} route through the
 * auto-configured {@link ShmOperations} on the request thread, {@code /ping} makes no shmipc call. Args: the
 * agent's shmipc name, and {@code true} for virtual request threads ({@code spring.threads.virtual.enabled}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class WebFrontMain {

    private final ShmOperations shm;

    /** @param shm the template */
    public WebFrontMain(ShmOperations shm) {
        this.shm = shm;
    }

    /**
     * @param id the request's id
     * @return the agent's reply
     */
    @GetMapping("/call")
    public String call(@RequestParam String id) {
        return shm.call("front.hold", id, String.class);
    }

    /** @return {@code pong}, without shmipc */
    @GetMapping("/ping")
    public String ping() {
        return "pong";
    }

    /** @param args the agent's shmipc name, and whether request threads are virtual */
    public static void main(String[] args) {
        SpringApplication.run(
                WebFrontMain.class,
                "--shmipc.name=" + args[0],
                "--shmipc.role=client",
                "--shmipc.client.timeout=5m",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.threads.virtual.enabled=" + args[1],
                "--spring.main.banner-mode=off");
    }
}

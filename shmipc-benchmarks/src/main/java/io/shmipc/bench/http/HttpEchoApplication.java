package io.shmipc.bench.http;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP peer: as small as a Boot MVC app gets. No component scan, and shmipc's auto-configuration
 * (on the benchmark's class path for the ShmTemplate transport) is left out, as an app without shmipc
 * would not have it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            "io.shmipc.spring.autoconfigure.ShmAutoConfiguration",
            "io.shmipc.spring.autoconfigure.ShmHealthAutoConfiguration",
            "io.shmipc.spring.autoconfigure.ShmMetricsAutoConfiguration"
        })
@RestController
public class HttpEchoApplication {

    public static final String ECHO_PATH = "/echo";

    @PostMapping(
            path = ECHO_PATH,
            consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] echo(@RequestBody byte[] body) {
        return body;
    }
}

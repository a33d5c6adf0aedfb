package io.shmipc.bench.http;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP peer: as small as a Boot MVC app gets. No component scan, so nothing else in the
 * benchmark jar is picked up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class HttpEchoApplication {

    public static final String ECHO_PATH = "/echo";

    @PostMapping(path = ECHO_PATH, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] echo(@RequestBody byte[] body) {
        return body;
    }
}

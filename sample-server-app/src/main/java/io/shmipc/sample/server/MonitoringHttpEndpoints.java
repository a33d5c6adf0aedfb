package io.shmipc.sample.server;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent's routes over HTTP as well, at {@code POST /agent/<route>}, calling the very same handler
 * methods: so the demo can send one request mix both ways to one agent and show the difference measured.
 * JSON bodies go through Spring MVC's own message converters, as a typical HTTP API does.
 */
@RestController
@RequestMapping("/agent")
public class MonitoringHttpEndpoints {

    private final MonitoringHandlers handlers;

    /** @param handlers the shmipc handlers, whose logic this serves over HTTP */
    public MonitoringHttpEndpoints(MonitoringHandlers handlers) {
        this.handlers = handlers;
    }

    /**
     * {@code metrics.report} over HTTP.
     *
     * @param sample the sample (JSON)
     * @return the receipt (JSON)
     */
    @PostMapping("/metrics.report")
    public ReportReceipt report(@RequestBody MetricSample sample) {
        return handlers.report(sample);
    }

    /**
     * {@code metrics.query} over HTTP.
     *
     * @param query the series and window (JSON)
     * @return the aggregate (JSON)
     */
    @PostMapping("/metrics.query")
    public MetricAggregate query(@RequestBody MetricQuery query) {
        return handlers.query(query);
    }

    /**
     * {@code echo} over HTTP.
     *
     * @param payload any bytes
     * @return the same bytes
     */
    @PostMapping(
            value = "/echo",
            consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] echo(@RequestBody byte[] payload) {
        return handlers.echo(payload);
    }
}

package io.shmipc.sample.plain;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmRequestContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The quote routes: validated payloads, headers, errors with codes and an asynchronous reply. */
@Component
public class QuoteHandlers {

    private static final Map<String, BigDecimal> PRICES =
            Map.of("ACME", new BigDecimal("12.50"), "INIT", BigDecimal.ONE);

    /**
     * A quote request.
     *
     * @param symbol the instrument
     * @param quantity how many
     */
    public record QuoteRequest(
            @NotBlank String symbol, @Positive int quantity) {}

    /**
     * A quote.
     *
     * @param symbol the instrument
     * @param total the price of the quantity
     * @param currency the currency asked for in the {@code currency} header
     * @param clientPid who asked
     */
    public record Quote(String symbol, BigDecimal total, String currency, long clientPid) {}

    /** @return the quote, or an error with code {@code UNKNOWN_SYMBOL} */
    @ShmHandler("${quotes.prefix:quotes}.price")
    public Quote price(
            @Valid QuoteRequest request,
            @Header(name = "currency", defaultValue = "EUR") String currency,
            ShmRequestContext context) {
        BigDecimal unit = PRICES.get(request.symbol());
        if (unit == null) {
            throw new UnknownSymbolException(request.symbol());
        }
        return new Quote(
                request.symbol(), unit.multiply(BigDecimal.valueOf(request.quantity())), currency, context.clientPid());
    }

    /** @return the symbol's unit price, answered asynchronously */
    @ShmHandler("${quotes.prefix:quotes}.unit")
    public CompletableFuture<BigDecimal> unit(String symbol) {
        return CompletableFuture.supplyAsync(() -> {
            BigDecimal unit = PRICES.get(symbol);
            if (unit == null) {
                throw new UnknownSymbolException(symbol);
            }
            return unit;
        });
    }
}

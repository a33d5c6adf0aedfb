package io.shmipc.sample.plain;

import io.shmipc.spring.ShmError;
import io.shmipc.spring.ShmHandlerAdvice;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;

/** Error mapping for every route: application exceptions become remote errors with a stable code. */
@ShmHandlerAdvice
public class QuoteErrors {

    /** @return the remote error clients see, with code {@code UNKNOWN_SYMBOL} */
    @MessageExceptionHandler
    public ShmError unknownSymbol(UnknownSymbolException ex) {
        return new ShmError("UNKNOWN_SYMBOL", ex.getMessage());
    }
}

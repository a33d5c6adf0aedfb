package io.shmipc.sample.plain;

/** No price for a symbol; clients see it as a remote error with code {@code UNKNOWN_SYMBOL}. */
public class UnknownSymbolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param symbol the symbol without a price */
    public UnknownSymbolException(String symbol) {
        super("no price for symbol '" + symbol + "'");
    }
}

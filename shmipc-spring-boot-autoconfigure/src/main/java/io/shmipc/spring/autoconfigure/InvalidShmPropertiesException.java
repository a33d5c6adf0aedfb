package io.shmipc.spring.autoconfigure;

/** A {@code shmipc.*} property has a value shmipc cannot use. The message names the property and the fix. */
public class InvalidShmPropertiesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the property, e.g. {@code shmipc.name}
     * @param message what is wrong and what to set instead
     */
    public InvalidShmPropertiesException(String property, String message) {
        super(message);
        this.property = property;
    }

    /** @return the property to fix, e.g. {@code shmipc.name} */
    public String getProperty() {
        return property;
    }
}

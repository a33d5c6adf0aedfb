package io.shmipc.spring;

/** Which side of a shmipc name an application takes. */
public enum ShmRole {

    /** Always starts the server; startup fails when another server holds the name. */
    SERVER,

    /** Never starts a server, even with {@link ShmHandler} methods; only calls through {@link ShmTemplate}. */
    CLIENT,

    /**
     * Starts the server when the application has {@link ShmHandler} methods and no other server holds
     * the name; otherwise acts as a client. The default.
     */
    AUTO
}

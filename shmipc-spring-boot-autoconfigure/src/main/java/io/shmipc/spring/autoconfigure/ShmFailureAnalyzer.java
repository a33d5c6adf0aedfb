package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmHandlerDefinitionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns shmipc startup failures into text that says what to fix: a missing or invalid property, a
 * second server for a name, a fail-fast client without a server, an incompatible region, or a
 * {@link io.shmipc.spring.ShmHandler} method that cannot be served.
 */
public class ShmFailureAnalyzer implements FailureAnalyzer {

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            FailureAnalysis analysis = analyzeCause(cause, failure);
            if (analysis != null) {
                return analysis;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static @Nullable FailureAnalysis analyzeCause(Throwable cause, Throwable failure) {
        return switch (cause) {
            case InvalidShmPropertiesException ex ->
                new FailureAnalysis(
                        "Invalid shmipc configuration: " + ex.getMessage(),
                        "Update " + ex.getProperty() + " in your application's configuration."
                                + " See the Configuration table in shmipc's README for every property and its default.",
                        failure);
            case ShmHandlerDefinitionException ex ->
                new FailureAnalysis(
                        "A @ShmHandler method cannot be served. " + ex.getMessage(),
                        "Fix the method " + ex.getHandler() + ": each route needs exactly one handler method that takes"
                                + " at most one payload parameter and an optional ShmRequestContext.",
                        failure);
            case ShmServerAlreadyRunningException ex ->
                new FailureAnalysis(
                        "shmipc could not start a server: " + ex.getMessage(),
                        "Stop the other server for '" + ex.getName() + "', set shmipc.role=auto to let this"
                                + " instance run as a client, or choose another shmipc.name.",
                        failure);
            case ShmServerUnavailableException ex ->
                new FailureAnalysis(
                        "shmipc.client.fail-fast is set and no shmipc server is running: " + ex.getMessage(),
                        "Start the server application first, or set shmipc.client.fail-fast=false to connect on the"
                                + " first call instead. Check that both sides use the same shmipc.name and"
                                + " shmipc.directory.",
                        failure);
            case ShmProtocolException ex ->
                new FailureAnalysis(
                        "The shmipc region is incompatible: " + ex.getMessage(),
                        "Run the same shmipc version on the server and its clients, or stop every process using"
                                + " the name and remove the stale region file.",
                        failure);
            case ShmException ex ->
                new FailureAnalysis(
                        "shmipc failed to start: " + ex.getMessage(),
                        "Check that shmipc.directory exists and is writable by this user, and that"
                                + " shmipc.server.file-mode lets the owner read and write.",
                        failure);
            default -> null;
        };
    }
}

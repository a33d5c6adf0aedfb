package io.shmipc.spring;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a shmipc server runs, makes SIGTERM end the JVM with exit code 0 instead of the JVM's 143 (128 + 15).
 *
 * <p>The JVM's own SIGTERM handling runs the shutdown hooks (Spring's context close, which drains the server
 * and removes its files) and then exits with 143, which service managers count as a failure unless told
 * otherwise (systemd {@code SuccessExitStatus=143}). A stop that drained and cleaned up is a success, so this
 * handler calls {@link System#exit(int) System.exit(0)}: the same shutdown hooks run, in the same order, and
 * only the status differs. It uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, the
 * supported way for applications to handle signals (no {@code jdk.internal} access, no flags needed; native
 * images support it too).
 *
 * <p>Installed by the first running server of the JVM and put back to the handler it replaced when the last
 * one stops, so SIGTERM behaves as before whenever no shmipc server runs. Where the JVM does not let the
 * handler be installed ({@code -Xrs}, or the signal is reserved), SIGTERM keeps the JVM's behaviour.
 */
final class SigtermExit {

    private static final Log logger = LogFactory.getLog(SigtermExit.class);

    private static int holders;
    private static @Nullable SignalHandler replaced;

    private SigtermExit() {}

    /** A running server wants SIGTERM to exit with 0; installs the handler for the first one. */
    static synchronized void acquire() {
        if (holders++ > 0) {
            return;
        }
        try {
            // The handler runs on a thread of its own; System.exit runs the shutdown hooks there and never returns.
            replaced = Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException | UnsupportedOperationException ex) {
            logger.debug("SIGTERM keeps the JVM's exit code 143: its handler cannot be replaced here (" + ex + ")");
        }
    }

    /** A server stopped; the last one puts the replaced handler back. */
    static synchronized void release() {
        if (holders == 0 || --holders > 0) {
            return;
        }
        SignalHandler previous = replaced;
        replaced = null;
        if (previous != null) {
            try {
                Signal.handle(new Signal("TERM"), previous);
            } catch (IllegalArgumentException | UnsupportedOperationException ex) {
                logger.debug("cannot put back the JVM's SIGTERM handler (" + ex + ")");
            }
        }
    }
}

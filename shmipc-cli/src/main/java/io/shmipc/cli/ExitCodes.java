package io.shmipc.cli;

import io.shmipc.core.ShmInspectionException;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;

/** The exit codes of the {@code shmipc} command: one per kind of problem, so scripts can tell them apart. */
final class ExitCodes {

    static final int OK = 0;
    /** Anything unexpected. */
    static final int FAILED = 1;
    /** Wrong options or arguments (picocli's own code). */
    static final int USAGE = 2;

    static final int NO_DIRECTORY = 3;
    static final int NO_REGION = 4;
    static final int NOT_A_REGION = 5;
    static final int OTHER_LAYOUT = 6;
    static final int NOT_ACCESSIBLE = 7;
    static final int INVALID_NAME = 8;

    static final int UNAVAILABLE = 10;
    static final int TIMEOUT = 11;
    static final int REMOTE_ERROR = 12;
    static final int NO_HANDLER = 13;
    static final int TOO_LARGE = 14;
    static final int PROTOCOL_ERROR = 15;

    static final int REFUSED_SERVER_ALIVE = 20;
    static final int REFUSED_CLIENTS_ALIVE = 21;

    /** The table printed under every command's help. */
    static final String HELP_TABLE = """
            Exit codes:
              0  done                         10  server unavailable
              1  unexpected failure           11  timeout
              2  bad options or arguments     12  the handler threw (remote error)
              3  no such directory            13  no handler for the route
              4  no such region               14  payload too large
              5  not a shmipc region          15  protocol error
              6  other layout version         20  clean refused: the server is alive
              7  file not accessible          21  clean refused: live clients map it
              8  invalid name""";

    private ExitCodes() {}

    /**
     * @param failure what a command threw
     * @return its exit code
     */
    static int of(Throwable failure) {
        return switch (failure) {
            case ShmInspectionException inspection ->
                switch (inspection.reason()) {
                    case NO_DIRECTORY -> NO_DIRECTORY;
                    case INVALID_NAME -> INVALID_NAME;
                    case NO_REGION, ORPHAN_LOCK -> NO_REGION;
                    case NOT_A_REGION -> NOT_A_REGION;
                    case OTHER_LAYOUT -> OTHER_LAYOUT;
                    case NOT_ACCESSIBLE -> NOT_ACCESSIBLE;
                };
            case ShmServerUnavailableException unavailable -> UNAVAILABLE;
            case ShmTimeoutException timeout -> TIMEOUT;
            case ShmRemoteException remote -> REMOTE_ERROR;
            case ShmNoHandlerException noHandler -> NO_HANDLER;
            case ShmPayloadTooLargeException tooLarge -> TOO_LARGE;
            case ShmProtocolException protocol -> PROTOCOL_ERROR;
            default -> FAILED;
        };
    }

    /**
     * @param failure what a command threw
     * @return a short name of its kind for the one-line error
     */
    static String kind(Throwable failure) {
        return switch (of(failure)) {
            case UNAVAILABLE -> "unavailable";
            case TIMEOUT -> "timeout";
            case REMOTE_ERROR -> "remote error";
            case NO_HANDLER -> "no handler";
            case TOO_LARGE -> "too large";
            case PROTOCOL_ERROR -> "protocol error";
            case NO_DIRECTORY -> "no such directory";
            case NO_REGION -> "no such region";
            case NOT_A_REGION -> "not a shmipc region";
            case OTHER_LAYOUT -> "other layout version";
            case NOT_ACCESSIBLE -> "not accessible";
            case INVALID_NAME -> "invalid name";
            default -> "error";
        };
    }
}

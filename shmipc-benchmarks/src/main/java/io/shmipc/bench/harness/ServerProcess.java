package io.shmipc.bench.harness;

import io.shmipc.bench.transport.Transport;
import io.shmipc.bench.transport.Transports;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * The server JVM: starts one transport's server, says {@code READY <pid>}, and serves until its stdin
 * closes (the orchestrator ending or dying both close it), then shuts the server down cleanly.
 *
 * <p>Arguments: transport endpoint
 */
public final class ServerProcess {

    private ServerProcess() {}

    public static void main(String[] args) throws Exception {
        Transport transport = Transports.byId(args[0]);
        AutoCloseable server;
        try {
            server = transport.startServer(args[1]);
        } catch (Throwable e) {
            System.out.println(ChildJvm.FAILED + " " + oneLine(e));
            System.out.flush();
            e.printStackTrace();
            System.exit(2);
            return;
        }
        System.out.println(ChildJvm.READY + " " + ProcessHandle.current().pid());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        while (stdin.readLine() != null) {
            // Any line is ignored; only the end of stdin stops the server.
        }
        server.close();
        System.exit(0);
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return (root.getClass().getSimpleName() + ": " + root.getMessage()).replace('\n', ' ');
    }
}

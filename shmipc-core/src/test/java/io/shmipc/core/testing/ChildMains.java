package io.shmipc.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Shared plumbing of the child mains: line-oriented stdin commands, exiting when the parent goes away. */
final class ChildMains {

    private ChildMains() {}

    /**
     * Reads stdin commands until EOF (the parent died or closed it), then returns.
     *
     * @param onCommand called for each line
     */
    static void serveCommands(Consumer<String> onCommand) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                onCommand.accept(line.trim());
            }
        } catch (IOException ignored) {
            // parent gone
        }
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

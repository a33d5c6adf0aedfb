package io.shmipc.core;

import java.nio.file.Path;
import java.util.List;

/**
 * What a clean-up did with one region, or with an orphan lock file (a name's lock file whose region is gone).
 *
 * @param name the shmipc name
 * @param path the region file, or the lock file when only that was there
 * @param outcome removed, would be removed, or refused and why
 * @param removed the files removed (empty unless {@link Outcome#REMOVED})
 * @param detail one line saying what was found and, for a refusal, what to do
 */
public record ShmCleanResult(String name, Path path, Outcome outcome, List<Path> removed, String detail) {

    /** Copies the list. */
    public ShmCleanResult {
        removed = List.copyOf(removed);
    }

    /** What happened to the region. */
    public enum Outcome {
        /** Its server was dead and no live client mapped it: its files were removed. */
        REMOVED,
        /** A dry run found it removable; nothing was modified. */
        WOULD_REMOVE,
        /** Refused: a live server holds it (RUNNING, DRAINING, or its lock is held). */
        REFUSED_SERVER_ALIVE,
        /** Refused: its server is dead but live client processes still map it. */
        REFUSED_CLIENTS_ALIVE
    }

    /** @return true for a refusal */
    public boolean refused() {
        return outcome == Outcome.REFUSED_SERVER_ALIVE || outcome == Outcome.REFUSED_CLIENTS_ALIVE;
    }
}

package io.shmipc.core.internal.region;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The files that belong to a name: the region {@code <dir>/<name>} and the server lock
 * {@code <dir>/<name>.lock}. Validates the name so it can never point outside the directory.
 *
 * @param name the validated shmipc name
 * @param directory the folder
 * @param region the region file
 * @param lock the single-server lock file
 */
public record RegionPaths(String name, Path directory, Path region, Path lock) {

    /** Longest accepted name; leaves room for suffixes within a 255-byte file name. */
    public static final int MAX_NAME_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");

    /**
     * @param directory the folder regions live in
     * @param name the shmipc name
     * @return the paths for that name
     * @throws IllegalArgumentException when the name is invalid; the message says what is allowed
     */
    public static RegionPaths of(Path directory, String name) {
        validateName(name);
        Path dir = directory.toAbsolutePath().normalize();
        return new RegionPaths(name, dir, dir.resolve(name), dir.resolve(name + ".lock"));
    }

    /**
     * @param name a candidate shmipc name
     * @throws IllegalArgumentException when it is not 1 to 100 characters of {@code [A-Za-z0-9._-]},
     *         starts with a dot, contains {@code ..}, or ends in {@code .lock} (which would be another
     *         name's lock file)
     */
    public static void validateName(String name) {
        if (name == null
                || !NAME.matcher(name).matches()
                || name.startsWith(".")
                || name.contains("..")
                || name.endsWith(".lock")) {
            throw new IllegalArgumentException("invalid shmipc name '" + name + "': use 1 to " + MAX_NAME_LENGTH
                    + " characters from A-Z a-z 0-9 . _ -, not starting with a dot, without '..' and not ending in"
                    + " '.lock' (set shmipc.name)");
        }
    }

    /**
     * @return a fresh temporary path in the same folder, so that a rename onto {@link #region()} is
     *         atomic. The {@code ~} cannot occur in a name, so one name's temporaries never match
     *         another name's {@link #temporaryGlob()}.
     */
    public Path temporaryRegion() {
        return directory.resolve("." + name + "~" + ProcessHandle.current().pid() + "~"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** @return the glob that matches temporary files left by servers of this name that died while creating */
    public String temporaryGlob() {
        return "." + name + "~*.tmp";
    }
}

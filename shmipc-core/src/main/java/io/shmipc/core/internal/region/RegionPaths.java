package io.shmipc.core.internal.region;

import io.shmipc.core.ShmConfig;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * @param directory the folder regions live in
     * @param name the shmipc name
     * @return the paths for that name
     * @throws io.shmipc.core.ShmConfigException when the name is invalid (see {@link ShmConfig#validateName})
     */
    public static RegionPaths of(Path directory, String name) {
        ShmConfig.validateName(name);
        Path dir = directory.toAbsolutePath().normalize();
        return new RegionPaths(name, dir, dir.resolve(name), dir.resolve(name + ".lock"));
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

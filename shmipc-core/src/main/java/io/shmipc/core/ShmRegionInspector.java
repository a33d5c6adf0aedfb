package io.shmipc.core;

import io.shmipc.core.internal.RegionInspection;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Read-only inspection of shmipc regions, and a safe clean-up of dead ones: the public face of the engine's
 * layout, region and liveness classes for operator tools (the {@code shmipc} command, the Actuator endpoint).
 *
 * <p>Reading never disturbs a live server or its clients: a region is mapped and only read, no lock is
 * taken (lock holders are read from {@code /proc/locks}), and every file is opened through the engine's
 * per-JVM shared channel, so an inspector inside a server or client process never drops that process's
 * record locks. A server is judged exactly as its clients judge it: dead when the OS shows its process gone,
 * or when its heartbeat stays silent for the liveness timeout; so an inspection of a region whose server is
 * in another pid namespace takes up to that timeout.
 *
 * <p>Cleaning removes a region only when its server is dead or closed and no live process is registered as
 * its client, and it applies the engine's own rule to be sure: it takes the single-server lock as a starting
 * server would, then every client registration byte, and deletes the files while it holds both. It never
 * removes a file it did not identify as a shmipc region of this layout version.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ShmRegionInspector {

    private final RegionInspection inspection;

    private ShmRegionInspector(ShmConfig config) {
        this.inspection = new RegionInspection(config);
    }

    /**
     * @param directory the folder regions live in
     * @return an inspector that judges servers with the default liveness settings
     */
    public static ShmRegionInspector of(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new ShmRegionInspector(ShmConfig.builder().directory(directory).build());
    }

    /**
     * @param config the directory and the liveness interval and timeout the regions' clients use
     * @return an inspector that judges servers as those clients do
     */
    public static ShmRegionInspector of(ShmConfig config) {
        return new ShmRegionInspector(Objects.requireNonNull(config, "config"));
    }

    /** @return the folder inspected, absolute */
    public Path directory() {
        return inspection.directory();
    }

    /**
     * Every region in the directory, judged together. Files that are not regions are skipped, except one
     * with a lock file beside it or of another layout version, which is listed with its problem. A shmipc lock
     * file whose region is gone is listed with the problem {@link ShmInspectionException.Reason#ORPHAN_LOCK}
     * (path: the lock file).
     *
     * @return the regions, ordered by name
     * @throws ShmInspectionException ({@link ShmInspectionException.Reason#NO_DIRECTORY}) when the folder is missing
     */
    public List<Entry> list() {
        return inspection.list().stream()
                .map(listed -> new Entry(listed.name(), listed.path(), listed.snapshot(), listed.problem()))
                .toList();
    }

    /**
     * @param name a shmipc name
     * @return its region, field by field
     * @throws ShmInspectionException when the folder, the name or the region is missing or invalid; the reason
     *     says which
     */
    public ShmRegionSnapshot inspect(String name) {
        return inspection.inspect(name);
    }

    /**
     * Removes the region of {@code name} and its lock file if its server is dead (or closed) and no live client
     * maps it; refuses otherwise, modifying nothing. When the region is gone and only its lock file is left, removes
     * that if it is a shmipc lock file (regular, holding nothing but a pid) whose lock nobody holds; the lock is
     * taken before the file is deleted, as for a region.
     *
     * @param name a shmipc name
     * @param dryRun judge only, modify nothing
     * @return what was done, or why it was refused
     * @throws ShmInspectionException when the folder, the name or the region is missing or invalid, or the
     *     files cannot be removed
     */
    public ShmCleanResult clean(String name, boolean dryRun) {
        return inspection.clean(name, dryRun);
    }

    /**
     * {@link #clean} for every region and every orphan lock file of the directory.
     *
     * @param dryRun judge only, modify nothing
     * @return one result per region or orphan lock file (live ones refused), ordered by name
     * @throws ShmInspectionException when the folder is missing
     */
    public List<ShmCleanResult> cleanAllDead(boolean dryRun) {
        return inspection.cleanAll(dryRun);
    }

    /**
     * One region of a listing.
     *
     * @param name its name
     * @param path its file
     * @param snapshot what it holds, null when it could not be read
     * @param problem why it could not be read, null when it could
     */
    public record Entry(
            String name,
            Path path,
            @Nullable ShmRegionSnapshot snapshot,
            @Nullable ShmInspectionException problem) {}
}

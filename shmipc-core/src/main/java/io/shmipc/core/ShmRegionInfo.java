package io.shmipc.core;

import java.nio.file.Path;

/**
 * A snapshot of a region's header, for health checks and metrics.
 *
 * @param name the shmipc name
 * @param path the region file
 * @param serverState the server state as text: RUNNING, DRAINING, CLOSED or DEAD
 * @param serverPid the server's pid as it wrote it
 * @param epoch the number of server starts on this region
 * @param slotCount slots in the region
 * @param slotCapacity payload bytes per slot
 * @param slotsInUse slots not FREE at the time of the snapshot
 */
public record ShmRegionInfo(
        String name,
        Path path,
        String serverState,
        long serverPid,
        long epoch,
        int slotCount,
        int slotCapacity,
        int slotsInUse) {}

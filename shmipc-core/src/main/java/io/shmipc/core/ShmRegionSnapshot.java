package io.shmipc.core;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an inspector saw in one region at one moment, read without writing a byte: the header field
 * by field, every slot, the client processes registered on the region and the region's files.
 *
 * <p>Shared memory changes while it is read, so the fields are a racy but bounds-checked view: each
 * value is one that was there at some instant of the read.
 *
 * @param name the shmipc name
 * @param path the region file
 * @param state the server as judged by the clients' liveness rules
 * @param stateWord the raw server state word (1 RUNNING, 2 DRAINING, 3 CLOSED; see docs/PROTOCOL.md)
 * @param layoutVersion the region's layout version
 * @param epoch server starts on this region so far
 * @param serverPid the server's pid as it wrote it, in its own pid namespace
 * @param serverPidNamespace inode of the server's pid namespace, 0 when unknown
 * @param serverProcess what the OS says about the server's pid from here: {@code alive}, {@code stopped},
 *     {@code dead}, or {@code not visible} (another pid namespace)
 * @param serverLockPid pid holding the single-server lock as this process sees it (0: a process in another pid
 *     namespace), or -1 when nobody holds it or it cannot be told
 * @param heartbeat the server's heartbeat counter
 * @param heartbeatInterval the heartbeat period the server advertises
 * @param heartbeatAge how long the counter had not moved when the read ended; at least this long when it did not
 *     move while watched
 * @param slotCount slots in the region
 * @param slotCapacity payload bytes per slot
 * @param slots every slot
 * @param clients client processes: those registered now (alive) and slot owners that are gone (not alive)
 * @param clientsKnown false when this system does not let registrations be read ({@code /proc/locks}), so
 *     {@code clients} lists only slot owners
 * @param files the region file and its lock file
 * @param takenAt when the read ended
 */
public record ShmRegionSnapshot(
        String name,
        Path path,
        ShmServerState state,
        int stateWord,
        int layoutVersion,
        long epoch,
        long serverPid,
        long serverPidNamespace,
        String serverProcess,
        long serverLockPid,
        long heartbeat,
        Duration heartbeatInterval,
        @Nullable Duration heartbeatAge,
        int slotCount,
        int slotCapacity,
        List<Slot> slots,
        List<ClientProcess> clients,
        boolean clientsKnown,
        List<RegionFile> files,
        Instant takenAt) {

    /** Copies the lists, so a snapshot never changes. */
    public ShmRegionSnapshot {
        slots = List.copyOf(slots);
        clients = List.copyOf(clients);
        files = List.copyOf(files);
    }

    /** @return slots whose state is not FREE */
    public int slotsInUse() {
        return (int) slots.stream().filter(slot -> !"FREE".equals(slot.state())).count();
    }

    /** @return the number of slots in each state, in protocol order, states with no slot left out */
    public Map<String, Integer> slotsByState() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String state : List.of("FREE", "CLAIMED", "REQUEST", "PROCESSING", "RESPONSE", "ABANDONED")) {
            int count = (int)
                    slots.stream().filter(slot -> slot.state().equals(state)).count();
            if (count > 0) {
                counts.put(state, count);
            }
        }
        slots.stream()
                .filter(slot -> slot.state().startsWith("INVALID"))
                .forEach(slot -> counts.merge(slot.state(), 1, Integer::sum));
        return counts;
    }

    /** @return the sum of the slots' claim sequences: it grows by one per request, so its rate is requests/s */
    public long claims() {
        return slots.stream().mapToLong(Slot::sequence).sum();
    }

    /** @return the registered client processes, alive by definition */
    public List<ClientProcess> liveClients() {
        return clients.stream().filter(ClientProcess::alive).toList();
    }

    /**
     * One slot.
     *
     * @param index the slot index
     * @param state FREE, CLAIMED, REQUEST, PROCESSING, RESPONSE, ABANDONED, or INVALID(n)
     * @param sequence claims of this slot so far (24 bits, wrapping)
     * @param ownerPid the pid of the client that claimed it last, in its pid namespace (0 when never claimed)
     * @param ownerIndex the owner's registration index, -1 when none
     * @param ownerAlive whether the owner's registration is still held; false for FREE slots
     * @param requestId the owner's request id
     * @param route the route of the request in it, empty when none or unreadable
     * @param requestEpoch the server epoch the request was submitted under
     * @param deadline the request's deadline, or null when none
     * @param submittedAt when the client wrote the request into the slot (its deadline minus the timeout it
     *     wrote beside it), or null when unknown: a FREE slot, or a client that predates the field (docs/PROTOCOL.md)
     * @param age how long ago the request was written when the slot was read: how long the slot has been held for
     *     it; null when unknown
     */
    public record Slot(
            int index,
            String state,
            int sequence,
            long ownerPid,
            int ownerIndex,
            boolean ownerAlive,
            long requestId,
            String route,
            long requestEpoch,
            @Nullable Instant deadline,
            @Nullable Instant submittedAt,
            @Nullable Duration age) {}

    /**
     * A client process of the region.
     *
     * @param registrationIndex the index it registered at
     * @param pid its pid as this process sees it (0: in another pid namespace), or as written into a slot when it
     *     is gone
     * @param alive true while it holds its registration; the OS drops it when the process dies
     */
    public record ClientProcess(int registrationIndex, long pid, boolean alive) {}

    /**
     * One of the region's files.
     *
     * @param path the file
     * @param kind {@code region} or {@code lock}
     * @param owner the owning user
     * @param group the owning group
     * @param mode the permission bits in octal, e.g. {@code 0600}
     * @param size the size in bytes
     * @param modified the last modification time
     */
    public record RegionFile(
            Path path, String kind, String owner, String group, String mode, long size, Instant modified) {}
}

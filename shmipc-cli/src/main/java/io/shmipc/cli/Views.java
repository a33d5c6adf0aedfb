package io.shmipc.cli;

import io.shmipc.core.ShmRegionSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How snapshots are shown: the one-line summary of list and watch, and inspect's full view. */
final class Views {

    static final List<String> SUMMARY_HEADER =
            List.of("NAME", "STATE", "PID", "EPOCH", "SLOTS", "SLOT SIZE", "CLIENTS", "HEARTBEAT");

    private Views() {}

    /** @return the summary cells, in {@link #SUMMARY_HEADER} order */
    static List<String> summaryRow(ShmRegionSnapshot snapshot) {
        return List.of(
                snapshot.name(),
                snapshot.state().name(),
                Text.pid(snapshot.serverPid()),
                Long.toString(snapshot.epoch()),
                snapshot.slotsInUse() + "/" + snapshot.slotCount(),
                Text.bytes(snapshot.slotCapacity()),
                snapshot.clientsKnown()
                        ? Integer.toString(snapshot.liveClients().size())
                        : "?",
                heartbeat(snapshot));
    }

    /** @return the summary for {@code --json}: what the list shows, with the client pids */
    static Map<String, Object> summary(ShmRegionSnapshot snapshot) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", snapshot.name());
        map.put("path", snapshot.path());
        map.put("state", snapshot.state());
        map.put("serverPid", snapshot.serverPid());
        map.put("epoch", snapshot.epoch());
        map.put("slotsInUse", snapshot.slotsInUse());
        map.put("slotCount", snapshot.slotCount());
        map.put("slotCapacity", snapshot.slotCapacity());
        map.put(
                "clients",
                snapshot.clientsKnown()
                        ? snapshot.liveClients().stream()
                                .map(ShmRegionSnapshot.ClientProcess::pid)
                                .toList()
                        : null);
        map.put("heartbeatAge", snapshot.heartbeatAge());
        return map;
    }

    /** @return the whole snapshot for {@code --json}, with the derived counts */
    static Map<String, Object> full(ShmRegionSnapshot snapshot) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) Json.tree(snapshot);
        map.put("slotsInUse", snapshot.slotsInUse());
        map.put("slotsByState", snapshot.slotsByState());
        return map;
    }

    private static String heartbeat(ShmRegionSnapshot snapshot) {
        return snapshot.heartbeatAge() == null ? "not moving" : Text.duration(snapshot.heartbeatAge()) + " ago";
    }

    /** @return inspect's text: header fields, slots, clients, files */
    static String inspect(ShmRegionSnapshot snapshot) {
        Instant now = snapshot.takenAt();
        List<List<String>> header = new ArrayList<>();
        header.add(List.of("region", snapshot.path().toString()));
        header.add(List.of(
                "state",
                snapshot.state() + " (state word " + snapshot.stateWord() + ", server process "
                        + snapshot.serverProcess() + ")"));
        header.add(List.of("layout version", Integer.toString(snapshot.layoutVersion())));
        header.add(List.of("epoch", Long.toString(snapshot.epoch())));
        header.add(
                List.of("server pid", snapshot.serverPid() + " (pid namespace " + snapshot.serverPidNamespace() + ")"));
        header.add(List.of(
                "server lock",
                snapshot.serverLockPid() < 0 ? "not held" : "held by pid " + Text.pid(snapshot.serverLockPid())));
        header.add(List.of(
                "heartbeat",
                "counter " + snapshot.heartbeat() + ", every " + Text.duration(snapshot.heartbeatInterval()) + ", "
                        + heartbeat(snapshot)));
        header.add(List.of(
                "slots",
                snapshot.slotCount() + " of " + Text.bytes(snapshot.slotCapacity()) + ": "
                        + snapshot.slotsByState().entrySet().stream()
                                .map(entry -> entry.getValue() + " " + entry.getKey())
                                .collect(Collectors.joining(", "))));
        header.add(List.of("requests served", snapshot.claims() + " (sum of slot claim sequences)"));
        StringBuilder out = new StringBuilder(Text.table(List.of("FIELD", "VALUE"), header));

        List<List<String>> slots = new ArrayList<>();
        for (ShmRegionSnapshot.Slot slot : snapshot.slots()) {
            boolean free = slot.state().equals("FREE");
            slots.add(List.of(
                    Integer.toString(slot.index()),
                    slot.state(),
                    Integer.toString(slot.sequence()),
                    free ? "-" : Text.pid(slot.ownerPid()),
                    free ? "-" : slot.ownerAlive() ? "yes" : "no",
                    free ? "-" : Long.toString(slot.requestId()),
                    free ? "-" : slot.route(),
                    free ? "-" : slot.age() == null ? "unknown" : Text.duration(slot.age()),
                    Text.deadline(slot.deadline(), now)));
        }
        out.append('\n')
                .append(Text.table(
                        List.of(
                                "SLOT",
                                "STATE",
                                "CLAIMS",
                                "OWNER PID",
                                "OWNER ALIVE",
                                "REQUEST",
                                "ROUTE",
                                "AGE",
                                "DEADLINE"),
                        slots));

        List<List<String>> clients = new ArrayList<>();
        for (ShmRegionSnapshot.ClientProcess client : snapshot.clients()) {
            clients.add(List.of(
                    Integer.toString(client.registrationIndex()),
                    Text.pid(client.pid()),
                    client.alive() ? "yes" : "no"));
        }
        out.append('\n');
        if (!snapshot.clientsKnown()) {
            out.append("(registered clients cannot be read here: /proc/locks is not readable; slot owners only)\n");
        }
        out.append(
                clients.isEmpty() ? "no registered clients\n" : Text.table(List.of("CLIENT", "PID", "ALIVE"), clients));

        List<List<String>> files = new ArrayList<>();
        for (ShmRegionSnapshot.RegionFile file : snapshot.files()) {
            files.add(List.of(
                    file.path().toString(),
                    file.kind(),
                    file.owner() + ":" + file.group(),
                    file.mode(),
                    Text.bytes(file.size()),
                    file.modified().toString()));
        }
        out.append('\n').append(Text.table(List.of("FILE", "KIND", "OWNER", "MODE", "SIZE", "MODIFIED"), files));
        return out.toString();
    }
}

package io.shmipc.core.testing;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.internal.SlotOwnership;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.signal.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A hostile process for tests: maps a region the way any process with access to the file can, and
 * writes what the protocol forbids. Args: region path. Prints {@code MAPPED}, then obeys stdin:
 * <ul>
 *   <li>{@code request SLOT ROUTE_LEN PAYLOAD_LEN HEADERS_LEN}: claims the slot, publishes a REQUEST
 *       with those lengths, rings the doorbell and waits for the server's verdict; prints
 *       {@code ANSWER state=S status=N text=T} (or {@code BUSY} when the slot was not FREE), then frees it;</li>
 *   <li>{@code state SLOT WORD}: stores WORD (decimal or 0x hex) into the slot's state word;</li>
 *   <li>{@code random-slot SLOT SEED [STATE]}: random bytes over the whole slot, then optionally
 *       the given state in the state word's low byte;</li>
 *   <li>{@code random-line LINE SEED}: random bytes over header cache line LINE (0 to 7).</li>
 * </ul>
 * Every write command answers {@code WROTE}.
 */
public final class ScribblerMain {

    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static int registration;
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    public static void main(String[] args) throws Exception {
        RegionMapper.Mapping mapping = RegionMapper.open(Path.of(args[0]));
        // Registered like a real client, so the server's housekeeper sees the lying requests' owner alive.
        registration = mapping.channel().retainRegistration();
        MappedRegion region = mapping.region();
        ChildMains.say("MAPPED slots=" + region.slotCount() + " capacity=" + region.slotCapacity());
        ChildMains.serveCommands(line -> {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "request" ->
                    ChildMains.say(request(
                            region,
                            Integer.parseInt(words[1]),
                            Integer.parseInt(words[2]),
                            Integer.parseInt(words[3]),
                            Integer.parseInt(words[4])));
                case "state" -> {
                    region.stateWordVolatile(Integer.parseInt(words[1]), Integer.decode(words[2]));
                    ChildMains.say("WROTE");
                }
                case "random-slot" -> {
                    int slot = Integer.parseInt(words[1]);
                    long stride = RegionDescriptor.slotStride(region.slotCapacity());
                    scribble(region.segment().asSlice(region.slotOffset(slot), stride), Long.parseLong(words[2]));
                    if (words.length > 3) {
                        int word = region.stateWordVolatile(slot);
                        region.stateWordVolatile(slot, withState(word, Integer.parseInt(words[3])));
                    }
                    ChildMains.say("WROTE");
                }
                case "random-line" -> {
                    int offset = Integer.parseInt(words[1]) * RegionDescriptor.CACHE_LINE;
                    scribble(region.segment().asSlice(offset, RegionDescriptor.CACHE_LINE), Long.parseLong(words[2]));
                    ChildMains.say("WROTE");
                }
                default -> ChildMains.say("UNKNOWN " + line);
            }
        });
        mapping.close();
    }

    private static void scribble(MemorySegment area, long seed) {
        byte[] noise = new byte[(int) area.byteSize()];
        new Random(seed).nextBytes(noise);
        MemorySegment.copy(noise, 0, area, ValueLayout.JAVA_BYTE, 0, noise.length);
    }

    /** Plays a client that lies about its lengths, and reports what the server made of it. */
    private static String request(
            MappedRegion region, int slot, int routeLength, int payloadLength, int headersLength) {
        int free = region.stateWordVolatile(slot);
        long claimedWord = SlotOwnership.tryClaim(region, slot, registration);
        if (claimedWord == SlotOwnership.NOT_CLAIMED) {
            return "BUSY " + stateName(state(free));
        }
        int claimed = (int) claimedWord;
        region.longField(slot, OWNER_PID_OFFSET, ProcessHandle.current().pid());
        region.longField(slot, REQUEST_ID_OFFSET, 4242);
        region.longField(slot, SlotDescriptor.EPOCH_OFFSET, region.epochVolatile());
        region.routeArea(slot).fill((byte) 'r');
        region.headersArea(slot).fill((byte) 0x7F);
        region.intField(slot, ROUTE_LENGTH_OFFSET, routeLength);
        region.intField(slot, PAYLOAD_LENGTH_OFFSET, payloadLength);
        region.intField(slot, HEADERS_LENGTH_OFFSET, headersLength);
        region.intField(slot, STATUS_OFFSET, -1);
        int request = withState(claimed, REQUEST);
        region.stateWordVolatile(slot, request);
        region.ringDoorbell();
        Futex futex = Futex.forPlatform();
        if (region.serverSleepingVolatile() != 0) {
            futex.wake(region.segment(), RegionDescriptor.DOORBELL_OFFSET, 1);
        }
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        int word = region.stateWordVolatile(slot);
        while ((word == request || word == withState(request, PROCESSING)) && System.nanoTime() - deadline < 0) {
            region.clientWaitingVolatile(slot, 1);
            futex.await(region.segment(), region.stateWordOffset(slot), word, WAIT_SLICE_NANOS);
            region.clientWaitingVolatile(slot, 0);
            word = region.stateWordVolatile(slot);
        }
        int status = region.intField(slot, STATUS_OFFSET);
        int length = region.intField(slot, PAYLOAD_LENGTH_OFFSET);
        String text = length >= 0 && length <= region.slotCapacity()
                ? new String(
                        region.payloadArea(slot).asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8)
                : "<length " + length + ">";
        if (state(word) == RESPONSE && SlotOwnership.free(region, slot, word)) {
            region.advanceFreeSequence();
        }
        return "ANSWER state=" + stateName(state(word)) + " status=" + status + " text=" + text.replace('\n', ' ');
    }
}

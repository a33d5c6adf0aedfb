package io.shmipc.core.testing;

import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import java.nio.file.Path;

/**
 * Plays a client that dies between claiming a slot and publishing its request: maps the region,
 * registers, claims slot {@code slot} and records itself as owner, prints {@code CLAIMED}, then
 * waits for the parent to kill it. Args: regionPath slot.
 */
public final class ClaimAndHangMain {

    public static void main(String[] args) throws Exception {
        RegionMapper.Mapping mapping = RegionMapper.open(Path.of(args[0]));
        int registration = mapping.channel().retainRegistration();
        MappedRegion region = mapping.region();
        int slot = Integer.parseInt(args[1]);
        int word = region.stateWordVolatile(slot);
        if (SlotDescriptor.state(word) != SlotDescriptor.FREE
                || !region.casStateWord(slot, word, SlotDescriptor.nextClaim(word))) {
            ChildMains.say("NOT-FREE " + SlotDescriptor.stateName(SlotDescriptor.state(word)));
            return;
        }
        region.intField(slot, SlotDescriptor.OWNER_INDEX_OFFSET, registration);
        ChildMains.say("CLAIMED " + slot);
        ChildMains.serveCommands(command -> {});
    }
}

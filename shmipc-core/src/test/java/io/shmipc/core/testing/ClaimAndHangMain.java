package io.shmipc.core.testing;

import io.shmipc.core.internal.SlotOwnership;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.SharedFileChannels;
import java.nio.file.Path;

/**
 * Plays a client that dies between claiming a slot and publishing its request: maps the region,
 * registers, claims slot {@code slot} and records itself as owner, prints {@code CLAIMED}, then
 * waits for the parent to kill it. Args: regionPath slot [registrationIndex]: with an index, it
 * registers at exactly that index (the one a given other process will probe first).
 */
public final class ClaimAndHangMain {

    public static void main(String[] args) throws Exception {
        RegionMapper.Mapping mapping = RegionMapper.open(Path.of(args[0]));
        int registration;
        if (args.length > 2) {
            registration = Integer.parseInt(args[2]);
            if (mapping.channel().channel().tryLock(SharedFileChannels.REGISTRATION_BASE + registration, 1, false)
                    == null) {
                ChildMains.say("INDEX-TAKEN " + registration);
                return;
            }
        } else {
            registration = mapping.channel().retainRegistration();
        }
        MappedRegion region = mapping.region();
        int slot = Integer.parseInt(args[1]);
        int word = region.stateWordVolatile(slot);
        if (SlotOwnership.tryClaim(region, slot, registration) == SlotOwnership.NOT_CLAIMED) {
            ChildMains.say("NOT-FREE " + SlotDescriptor.stateName(SlotDescriptor.state(word)));
            return;
        }
        ChildMains.say("CLAIMED " + slot);
        ChildMains.serveCommands(command -> {});
    }
}

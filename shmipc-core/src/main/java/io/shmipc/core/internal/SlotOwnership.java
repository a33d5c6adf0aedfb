package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.internal.region.MappedRegion;

/**
 * The two slot transitions that change the owner: a claim (FREE to CLAIMED, naming the owner) and a
 * release (any state to FREE, clearing it). Each is one 64-bit compare-and-set of the owned state,
 * so the owner index is never out of step with the state word: a CLAIMED slot always names the
 * process that claimed it, from the very instant it is claimed. That is what lets the housekeeper
 * judge every claimed slot by its owner's registration lock and never by a timer.
 */
public final class SlotOwnership {

    /** Returned by {@link #tryClaim} when the slot was not free or another claimer won. */
    public static final long NOT_CLAIMED = -1L;

    /** A release retries only while a hostile writer flips the owner half; an honest party never does. */
    private static final int RELEASE_ATTEMPTS = 8;

    private SlotOwnership() {}

    /**
     * Claims the slot for {@code registration} if it is FREE.
     *
     * @return the CLAIMED state word (as an unsigned int in a long), or {@link #NOT_CLAIMED}
     */
    public static long tryClaim(MappedRegion region, int slot, int registration) {
        long owned = region.ownedStateVolatile(slot);
        int word = wordOf(owned);
        if (state(word) != FREE) {
            return NOT_CLAIMED;
        }
        // Whatever owner a FREE slot shows (normally NO_OWNER) is replaced: the CAS is from the exact pair read.
        int claimed = nextClaim(word);
        return region.casOwnedState(slot, owned, ownedState(claimed, registration))
                ? claimed & 0xFFFF_FFFFL
                : NOT_CLAIMED;
    }

    /**
     * Frees the slot if its state word is still {@code expectedWord}, clearing the owner with it.
     *
     * @return true when this call freed it (the caller then signals {@link RegionSignals#slotFreed()})
     */
    public static boolean free(MappedRegion region, int slot, int expectedWord) {
        int freeWord = withState(expectedWord, FREE);
        for (int attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
            long owned = region.ownedStateVolatile(slot);
            if (wordOf(owned) != expectedWord) {
                return false;
            }
            if (region.casOwnedState(slot, owned, ownedState(freeWord, NO_OWNER))) {
                return true;
            }
        }
        return false;
    }
}

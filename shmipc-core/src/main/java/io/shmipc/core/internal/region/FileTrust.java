package io.shmipc.core.internal.region;

import io.shmipc.core.ShmServerUnavailableException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whom a region or lock file may belong to. Any user who can write to the directory (everyone, in
 * {@code /dev/shm}) can leave a file at a region's path before the server starts; adopting it as it
 * is would let that user read every payload. So a server accepts only files owned by its own effective
 * uid and within its configured mode, and a client only regions owned by itself, by root, or by the
 * configured {@code fileOwner} (the server's user when it differs).
 */
public final class FileTrust {

    private static final int ROOT = 0;

    private FileTrust() {}

    /** @return this process's effective uid, or empty where it cannot be known (then nothing is checked) */
    public static Optional<Integer> effectiveUid() {
        return PosixCalls.effectiveUid();
    }

    /**
     * @param file an opened file
     * @return true when this process's effective uid owns it (or the uid cannot be known)
     */
    public static boolean ownedBySelf(SharedFileChannels.SharedChannel file) {
        return effectiveUid().map(uid -> uid == file.ownerUid()).orElse(true);
    }

    /**
     * @param file an opened file
     * @param fileMode the configured mode
     * @return true when the file grants no permission beyond {@code fileMode}
     */
    public static boolean modeWithin(SharedFileChannels.SharedChannel file, int fileMode) {
        return (file.mode() & ~fileMode) == 0;
    }

    /**
     * Client check of a region it mapped.
     *
     * @param region the opened region
     * @param path its path, for the message
     * @param expectedOwner the configured owner's user name, or null for none
     * @throws ShmServerUnavailableException naming the file, its owner and mode, and what to do, when the owner is not trusted
     */
    public static void checkClientMayUse(
            SharedFileChannels.SharedChannel region, Path path, @Nullable String expectedOwner) {
        Optional<Integer> self = effectiveUid();
        if (self.isEmpty() || region.ownerUid() == self.get() || region.ownerUid() == ROOT) {
            return;
        }
        if (expectedOwner != null && ownedBy(path, expectedOwner)) {
            return;
        }
        throw new ShmServerUnavailableException(
                "the shmipc region " + path + " is owned by uid " + region.ownerUid() + " (mode 0"
                        + Integer.toOctalString(region.mode()) + "), not by this process's user (uid " + self.get()
                        + "), root" + (expectedOwner == null ? "" : " or the configured owner '" + expectedOwner + "'")
                        + ": another user may have planted it to read your requests, so it is not used. If that user runs"
                        + " the server, set the client's file owner (shmipc.client.file-owner / ShmConfig.fileOwner) to it;"
                        + " otherwise delete the file and start the server");
    }

    /**
     * @return a message for a server that finds a file at its path that it must not adopt
     */
    public static String foreignFileMessage(String what, Path path, SharedFileChannels.SharedChannel file) {
        return "the shmipc " + what + " " + path + " is owned by uid " + file.ownerUid() + " (mode 0"
                + Integer.toOctalString(file.mode()) + "), not by this server's user (uid "
                + effectiveUid().map(String::valueOf).orElse("?")
                + "): another user may have planted it to read the requests, so it is not adopted, and this"
                + " server cannot replace it (in a sticky directory such as /dev/shm only its owner or root may)."
                + " Delete it as its owner or root, then start the server";
    }

    private static boolean ownedBy(Path path, String userName) {
        try {
            UserPrincipal expected =
                    FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(userName);
            UserPrincipal actual = java.nio.file.Files.getOwner(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return expected.equals(actual);
        } catch (IOException e) {
            return false;
        }
    }
}

package io.shmipc.core.internal.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code /proc/locks}: the kernel's format, waiters and other lock kinds skipped. */
class LockTableTest {

    @TempDir
    Path dir;

    @Test
    void readsServerLockHolderAndRegistrationsOfTheRightFileOnly() throws Exception {
        Path region = Files.createFile(dir.resolve("orders"));
        Path lock = Files.createFile(dir.resolve("orders.lock"));
        Path other = Files.createFile(dir.resolve("other"));
        long base = SharedFileChannels.REGISTRATION_BASE;
        Path table = Files.write(
                dir.resolve("locks"),
                List.of(
                        "1: POSIX  ADVISORY  WRITE 4242 " + id(lock) + " 0 0",
                        "1: -> POSIX  ADVISORY  WRITE 5000 " + id(lock) + " 0 0",
                        "2: POSIX  ADVISORY  WRITE 7001 " + id(region) + " " + (base + 7) + " " + (base + 7),
                        "3: POSIX  ADVISORY  WRITE 0 " + id(region) + " " + (base + 9) + " " + (base + 9),
                        "4: POSIX  ADVISORY  WRITE 7002 " + id(other) + " " + (base + 1) + " " + (base + 1),
                        "5: FLOCK  ADVISORY  WRITE 7003 " + id(region) + " 0 EOF",
                        "6: OFDLCK ADVISORY  READ  -1 " + id(region) + " 0 EOF",
                        "7: POSIX  ADVISORY  WRITE 7004 " + id(region) + " " + base + " " + (base + (1 << 20) - 1),
                        "garbage"));

        LockTable locks = LockTable.read(table);

        assertThat(locks.serverLockHolder(lock)).isEqualTo(4242);
        assertThat(locks.serverLockHolder(region)).isEqualTo(-1);
        assertThat(locks.registrations(region))
                .as("one entry per registration; a clean-up's range lock counts once; pid 0 is another namespace")
                .containsExactly(
                        java.util.Map.entry(7, 7001L), java.util.Map.entry(9, 0L), java.util.Map.entry(0, 7004L));
        assertThat(locks.registrations(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void anUnreadableTableIsNull() {
        assertThat(LockTable.read(dir.resolve("no-such-file"))).isNull();
    }

    /** @return the file's identity as /proc/locks prints it: major:minor in hex, inode in decimal */
    private static String id(Path file) {
        LockTable.FileId id = LockTable.FileId.of(file);
        return String.format("%02x:%02x:%d", id.major(), id.minor(), id.inode());
    }
}

package io.shmipc.core.internal.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names map to files that belong to that name alone. */
class RegionPathsTest {

    @TempDir
    Path dir;

    @Test
    void nameEndingInLockIsRefusedBecauseItWouldBeAnotherNamesLockFile() {
        assertThatThrownBy(() -> RegionPaths.of(dir, "orders.lock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'.lock'");
        assertThat(RegionPaths.of(dir, "orders").lock()).isEqualTo(dir.resolve("orders.lock"));
    }

    @Test
    void oneNamesTemporaryFilesNeverMatchAnotherNamesLeftoverGlob() {
        RegionPaths a = RegionPaths.of(dir, "a");
        RegionPaths ab = RegionPaths.of(dir, "a.b");
        var globA = FileSystems.getDefault().getPathMatcher("glob:" + a.temporaryGlob());
        var globAb = FileSystems.getDefault().getPathMatcher("glob:" + ab.temporaryGlob());
        assertThat(globA.matches(a.temporaryRegion().getFileName())).isTrue();
        assertThat(globA.matches(ab.temporaryRegion().getFileName())).isFalse();
        assertThat(globAb.matches(a.temporaryRegion().getFileName())).isFalse();
    }
}

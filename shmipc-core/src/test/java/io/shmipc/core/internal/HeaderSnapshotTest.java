package io.shmipc.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 8 (c) of issue 10: a header restore racing with close() must not write RUNNING back. */
class HeaderSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void restoreThatRacesWithCloseNeverPutsRunningBack() {
        ShmConfig config = ShmConfig.builder().directory(dir).slotCount(1).build();
        RegionPaths paths = RegionPaths.of(dir, "snapshot-" + UUID.randomUUID());
        RegionMapper.Mapping mapping = RegionMapper.create(
                paths, config, region -> region.serverStateVolatile(RegionDescriptor.SERVER_RUNNING));
        try {
            MappedRegion region = mapping.region();
            HeaderSnapshot snapshot = new HeaderSnapshot(region);
            int[] expected = {RegionDescriptor.SERVER_RUNNING};
            // The housekeeper's read of the expected state, with all of close()'s first steps landing right at
            // it: the expected state becomes DRAINING, then the region's. Before the fix the expected state was
            // read before the region's, as RUNNING, and a plain store put RUNNING over DRAINING.
            boolean restored = snapshot.restore(region, () -> {
                int stale = expected[0];
                expected[0] = RegionDescriptor.SERVER_DRAINING;
                region.serverStateVolatile(RegionDescriptor.SERVER_DRAINING);
                return stale;
            });
            assertThat(region.serverStateVolatile()).isEqualTo(RegionDescriptor.SERVER_DRAINING);
            assertThat(restored).isFalse();
            // And a real scribble is still repaired.
            region.serverStateVolatile(77);
            assertThat(snapshot.restore(region, () -> expected[0])).isTrue();
            assertThat(region.serverStateVolatile()).isEqualTo(RegionDescriptor.SERVER_DRAINING);
        } finally {
            mapping.close();
        }
    }
}

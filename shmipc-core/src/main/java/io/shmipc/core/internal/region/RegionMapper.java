package io.shmipc.core.internal.region;

import static io.shmipc.core.internal.layout.RegionDescriptor.*;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmException;
import io.shmipc.core.ShmProtocolException;
import io.shmipc.core.internal.layout.SlotDescriptor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Creates regions atomically and maps existing ones after validating their header. */
public final class RegionMapper {

    private static final int ZERO_CHUNK = 1 << 20;

    private RegionMapper() {}

    /** A mapped region together with the shared channel that keeps this process's locks on it. */
    public record Mapping(MappedRegion region, SharedFileChannels.SharedChannel channel) {
        /** Unmaps and lets go of the channel. */
        public void close() {
            region.unmap();
            channel.release();
        }
    }

    /**
     * Maps an existing region and validates its header against its size.
     *
     * @param path the region file
     * @return the mapping
     * @throws java.nio.file.NoSuchFileException when there is no region
     * @throws ShmProtocolException when the header is not this layout or disagrees with the file
     */
    public static Mapping open(Path path) throws IOException {
        SharedFileChannels.SharedChannel channel = SharedFileChannels.open(path, false, 0600);
        try {
            return new Mapping(map(channel.channel(), path), channel);
        } catch (IOException | RuntimeException e) {
            channel.release();
            throw e;
        }
    }

    private static MappedRegion map(FileChannel channel, Path path) throws IOException {
        long size = channel.size();
        if (size < HEADER_SIZE) {
            throw new ShmProtocolException(
                    "region " + path + " is " + size + " bytes, smaller than the " + HEADER_SIZE
                            + "-byte shmipc header; it is not a shmipc region (or was truncated): delete it if no server uses it");
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            long magic = segment.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
            if (magic != MAGIC) {
                throw new ShmProtocolException("region " + path + " has magic 0x" + Long.toHexString(magic)
                        + " but shmipc expects 0x" + Long.toHexString(MAGIC)
                        + "; it is not a shmipc region: delete it or use another name");
            }
            int version = segment.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET);
            if (version != LAYOUT_VERSION) {
                throw new ShmProtocolException("region " + path + " has layout version " + version
                        + " but this shmipc uses layout version " + LAYOUT_VERSION
                        + "; run the same shmipc version on server and clients");
            }
            int slots = segment.get(ValueLayout.JAVA_INT, SLOT_COUNT_OFFSET);
            int capacity = segment.get(ValueLayout.JAVA_INT, SLOT_CAPACITY_OFFSET);
            int stride = segment.get(ValueLayout.JAVA_INT, SLOT_STRIDE_OFFSET);
            int headerSize = segment.get(ValueLayout.JAVA_INT, HEADER_SIZE_OFFSET);
            long recordedSize = segment.get(ValueLayout.JAVA_LONG, REGION_SIZE_OFFSET);
            boolean geometryValid = slots >= 1
                    && slots <= ShmConfig.MAX_SLOTS
                    && capacity >= 64
                    && capacity <= ShmConfig.MAX_SLOT_CAPACITY
                    && stride == slotStride(capacity)
                    && headerSize == HEADER_SIZE
                    && recordedSize == regionSize(slots, capacity)
                    && recordedSize == size;
            if (!geometryValid) {
                throw new ShmProtocolException("region " + path + " header says " + slots + " slots of " + capacity
                        + " bytes (stride " + stride + ", header " + headerSize + ", size " + recordedSize
                        + ") but the file is " + size + " bytes and this shmipc expects stride "
                        + (capacity >= 0 ? slotStride(capacity) : -1) + " and header " + HEADER_SIZE
                        + "; the region is corrupt: stop its server and delete it");
            }
            return new MappedRegion(segment, arena, slots, capacity);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Creates a region under a temporary name, initialises it, and renames it into place, so no
     * process ever maps a half-made region. Replaces whatever was at the path.
     *
     * @param paths the region's paths
     * @param config geometry and file mode
     * @param init writes the server fields before the region becomes visible
     * @return the mapping of the new region
     * @throws ShmException when the file cannot be created, e.g. the folder is full
     */
    public static Mapping create(RegionPaths paths, ShmConfig config, java.util.function.Consumer<MappedRegion> init) {
        long size = regionSize(config.slotCount(), config.slotCapacity());
        Path temporary = paths.temporaryRegion();
        SharedFileChannels.SharedChannel channel = null;
        MappedRegion region = null;
        try {
            Files.createDirectories(paths.directory());
            channel = SharedFileChannels.open(temporary, true, config.fileMode());
            allocate(channel.channel(), size);
            Arena arena = Arena.ofShared();
            MemorySegment segment = channel.channel().map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            region = new MappedRegion(segment, arena, config.slotCount(), config.slotCapacity());
            segment.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            segment.set(ValueLayout.JAVA_INT, SLOT_COUNT_OFFSET, config.slotCount());
            segment.set(ValueLayout.JAVA_INT, SLOT_CAPACITY_OFFSET, config.slotCapacity());
            segment.set(ValueLayout.JAVA_INT, SLOT_STRIDE_OFFSET, (int) slotStride(config.slotCapacity()));
            segment.set(ValueLayout.JAVA_INT, HEADER_SIZE_OFFSET, HEADER_SIZE);
            segment.set(ValueLayout.JAVA_LONG, REGION_SIZE_OFFSET, size);
            for (int slot = 0; slot < config.slotCount(); slot++) {
                region.intField(slot, SlotDescriptor.OWNER_INDEX_OFFSET, SlotDescriptor.NO_OWNER);
            }
            init.accept(region);
            // Magic last: a region with the magic is complete. The rename below publishes the file
            // to other processes; the kernel orders the stores before it.
            segment.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
            Files.move(temporary, paths.region(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            channel.renamedTo(paths.region());
            return new Mapping(region, channel);
        } catch (IOException | RuntimeException e) {
            if (region != null) {
                region.unmap();
            }
            if (channel != null) {
                channel.release();
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // best effort; a later server start removes leftovers
            }
            if (e instanceof ShmException shm) {
                throw shm;
            }
            throw new ShmException(
                    "cannot create shmipc region " + paths.region() + " of " + size + " bytes: " + e
                            + "; check that " + paths.directory()
                            + " is writable and has room (in containers raise --shm-size),"
                            + " or lower shmipc.server.slots / shmipc.server.slot-size",
                    e);
        }
    }

    /** Writes zeros through the file so a full tmpfs fails here with ENOSPC, not later with SIGBUS. */
    private static void allocate(FileChannel channel, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, size));
        for (long position = 0; position < size; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
            position += channel.write(zeros, position);
        }
    }

    /**
     * Deletes temporary files left by servers of this name that died while creating a region.
     * Only the holder of the server lock may call this.
     *
     * @param paths the region's paths
     */
    public static void deleteLeftoverTemporaries(RegionPaths paths) {
        if (!Files.isDirectory(paths.directory())) {
            return;
        }
        try (var stream = Files.newDirectoryStream(paths.directory(), paths.temporaryGlob())) {
            for (Path leftover : stream) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException ignored) {
            // leftovers are harmless
        }
    }
}

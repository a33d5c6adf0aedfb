package io.shmipc.bench.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file mapped shared into this process, for the hand-rolled shared-memory peers. */
final class SharedFile implements AutoCloseable {

    private final Path path;
    private final boolean owner;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    private SharedFile(Path path, long size, boolean owner) throws IOException {
        this.path = path;
        this.owner = owner;
        try (FileChannel channel = owner
                ? FileChannel.open(
                        path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (owner) {
                // A fresh file reads as zeros, which is the initial state both peers expect.
                channel.truncate(size);
                channel.position(size - 1).write(ByteBuffer.allocate(1));
            }
            segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, owner ? size : channel.size(), arena);
        }
    }

    /** Creates and maps a zero-filled file; the server side calls this. */
    static SharedFile create(Path path, long size) throws IOException {
        Files.deleteIfExists(path);
        return new SharedFile(path, size, true);
    }

    /** Maps a file the server created. */
    static SharedFile open(Path path) throws IOException {
        return new SharedFile(path, 0, false);
    }

    MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() throws IOException {
        arena.close();
        if (owner) {
            Files.deleteIfExists(path);
        }
    }
}

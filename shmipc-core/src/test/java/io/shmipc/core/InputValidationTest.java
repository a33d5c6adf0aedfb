package io.shmipc.core;

import static io.shmipc.core.internal.layout.SlotDescriptor.FREE;
import static io.shmipc.core.internal.layout.SlotDescriptor.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shmipc.core.internal.region.RegionMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Names, file modes, payload sizes and symbolic links: bad input is refused clearly, before it does harm. */
class InputValidationTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final ShmRequestHandler ECHO = (request, response) -> response.write(request.payloadBytes());

    @TempDir
    Path dir;

    private final String name = "shmipc-test-" + UUID.randomUUID();

    static Stream<String> invalidNames() {
        return Stream.of("", ".", "..", "a/b", "../x", ".hidden", "a..b", "a".repeat(101), "é", "a b", "a\0b", null);
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void invalidNameIsRejectedByServerAndClientWithoutTouchingTheDisk(String invalid) throws IOException {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        assertThatThrownBy(() -> ShmServer.start(invalid, config, ECHO))
                .isInstanceOfSatisfying(ShmConfigException.class, e -> assertThat(e.setting())
                        .isEqualTo(ShmConfigException.Setting.NAME))
                .hasMessageContaining("invalid shmipc name");
        assertThatThrownBy(() -> new ShmClient(invalid, config))
                .isInstanceOfSatisfying(ShmConfigException.class, e -> assertThat(e.setting())
                        .isEqualTo(ShmConfigException.Setting.NAME))
                .hasMessageContaining("invalid shmipc name");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void invalidSettingIsReportedAsATypedErrorNamingTheSetting() {
        assertThatThrownBy(() -> ShmConfig.builder().slotCount(0).build())
                .isInstanceOfSatisfying(ShmConfigException.class, e -> assertThat(e.setting())
                        .isEqualTo(ShmConfigException.Setting.SLOT_COUNT))
                .hasMessage("slotCount must be between 1 and " + ShmConfig.MAX_SLOTS + ", was 0");
        assertThatThrownBy(() -> ShmConfig.builder().fileMode("rw-").build())
                .isInstanceOfSatisfying(ShmConfigException.class, e -> assertThat(e.problem())
                        .isEqualTo("must be octal like 0600 or 0660, was 'rw-'"));
    }

    @Test
    void longestAllowedNameIsAccepted() {
        // the boundary next to the 101-character case above
        String longest = "a".repeat(100);
        try (ShmServer server =
                ShmServer.start(longest, ShmConfig.builder().directory(dir).build(), ECHO)) {
            assertThat(server.path().getFileName()).hasToString(longest);
        }
    }

    @Test
    void regionAndLockFilesAreOwnerOnlyByDefault() throws IOException {
        assertServerFilesHaveMode(ShmConfig.builder().directory(dir).build(), "rw-------");
    }

    @Test
    void configuredGroupModeIsAppliedToRegionAndLockFiles() throws IOException {
        // 0660 would usually be cut to 0640 by a 022 umask if the engine did not set it explicitly
        assertServerFilesHaveMode(
                ShmConfig.builder().directory(dir).fileMode("0660").build(), "rw-rw----");
    }

    @Test
    void requestOverCapacityIsRefusedBeforeAnythingIsWritten() throws IOException {
        ShmConfig config = ShmConfig.builder()
                .directory(dir)
                .slotCount(4)
                .slotCapacity(1024)
                .build();
        AtomicInteger handled = new AtomicInteger();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> handled.incrementAndGet());
                ShmClient client = new ShmClient(name, config)) {
            client.connect();
            assertThatThrownBy(() -> client.call("x", new byte[1025], CALL_TIMEOUT))
                    .isInstanceOf(ShmPayloadTooLargeException.class)
                    .hasMessageContaining("1025")
                    .hasMessageContaining("1024")
                    .hasMessageContaining("shmipc.server.slot-size");
            assertThat(handled).hasValue(0);
            assertThat(server.info().slotsInUse()).isZero();
            // Not even claimed: a claim would have raised a slot's sequence, and the payload area is untouched.
            try (var view = new View(RegionMapper.open(server.path()))) {
                for (int slot = 0; slot < 4; slot++) {
                    assertThat(view.mapping.region().stateWordVolatile(slot)).isEqualTo(word(0, FREE));
                    assertThat(view.mapping.region().payloadArea(slot).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                            .containsOnly(0);
                }
            }
        }
    }

    @Test
    void zeroCopyRequestWriterOverflowingTheSlotFailsAndFreesTheSlot() {
        ShmConfig config = ShmConfig.builder()
                .directory(dir)
                .slotCount(2)
                .slotCapacity(1024)
                .build();
        AtomicInteger handled = new AtomicInteger();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> handled.incrementAndGet());
                ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(() -> client.call(
                            "x",
                            Map.of(),
                            buffer -> {
                                buffer.asSlice(0, 2048)
                                        .fill((byte) 1); // larger than the slot: the size is not known in advance
                                return 2048;
                            },
                            reply -> null,
                            CALL_TIMEOUT))
                    .isInstanceOf(ShmPayloadTooLargeException.class)
                    .hasMessageContaining("1024")
                    .hasMessageContaining("shmipc.server.slot-size");
            assertThat(handled).hasValue(0);
            assertThat(server.info().slotsInUse()).isZero();
        }
    }

    @Test
    void replyOverCapacityGivesTheClientPayloadTooLarge() {
        ShmConfig config = ShmConfig.builder()
                .directory(dir)
                .slotCount(2)
                .slotCapacity(1024)
                .build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> response.write(new byte[1500]));
                ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(() -> client.call("x", new byte[1], CALL_TIMEOUT))
                    .isInstanceOf(ShmPayloadTooLargeException.class)
                    .hasMessageContaining("1500")
                    .hasMessageContaining("1024")
                    .hasMessageContaining("shmipc.server.slot-size");
            assertThat(server.info().slotsInUse()).isZero();
        }
    }

    @Test
    void symbolicLinkAtTheRegionPathIsNeverFollowed() throws IOException {
        Target target = Target.create(dir);
        Files.createSymbolicLink(dir.resolve(name), target.path());
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(client::connect).isInstanceOf(ShmException.class).hasMessageContaining("symbolic link");
        }
        assertThatThrownBy(() -> ShmServer.start(name, config, ECHO))
                .isInstanceOf(ShmException.class)
                .hasMessageContaining("symbolic link");
        target.assertUntouched();
        assertThat(Files.isSymbolicLink(dir.resolve(name))).isTrue();
    }

    @Test
    void symbolicLinkAtTheLockPathIsNeverFollowed() throws IOException {
        Target target = Target.create(dir);
        Files.createSymbolicLink(dir.resolve(name + ".lock"), target.path());
        assertThatThrownBy(() ->
                        ShmServer.start(name, ShmConfig.builder().directory(dir).build(), ECHO))
                .isInstanceOf(ShmException.class)
                .hasMessageContaining("symbolic link");
        target.assertUntouched();
        assertThat(Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    @Test
    void danglingSymbolicLinkAtTheRegionPathDoesNotCreateItsTarget() throws IOException {
        Path target = dir.resolve("shmipc-test-not-there");
        Files.createSymbolicLink(dir.resolve(name), target);
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(client::connect).isInstanceOf(ShmException.class);
        }
        assertThatThrownBy(() -> ShmServer.start(name, config, ECHO))
                .isInstanceOf(ShmException.class)
                .hasMessageContaining("symbolic link");
        assertThat(target).doesNotExist();
    }

    private void assertServerFilesHaveMode(ShmConfig config, String mode) throws IOException {
        try (ShmServer server = ShmServer.start(name, config, ECHO)) {
            for (Path file : new Path[] {server.path(), dir.resolve(name + ".lock")}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as("%s", file)
                        .isEqualTo(mode);
            }
        }
    }

    /** A file someone cares about, which a followed link would clobber. */
    private record Target(Path path, byte[] content, FileTime modified) {
        private static final String MODE = "rw-r-----";

        static Target create(Path dir) throws IOException {
            Path path = dir.resolve("shmipc-test-precious");
            Files.write(path, "precious data, not a region".getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(MODE));
            return new Target(path, Files.readAllBytes(path), Files.getLastModifiedTime(path));
        }

        void assertUntouched() throws IOException {
            assertThat(Files.readAllBytes(path)).isEqualTo(content);
            assertThat(Files.getLastModifiedTime(path)).isEqualTo(modified);
            // a followed link would also have carried the engine's chmod to 0600
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                    .isEqualTo(MODE);
        }
    }

    private record View(RegionMapper.Mapping mapping) implements AutoCloseable {
        @Override
        public void close() {
            mapping.close();
        }
    }
}

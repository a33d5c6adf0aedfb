package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2 of issue 10: a region or lock file left at the path by another user (here: made by a
 * server that was then killed, and handed to {@code nobody} with mode 0666) is never adopted as it is.
 */
class PlantedFileTest {

    @TempDir
    Path dir;

    private UserPrincipal nobody;

    @BeforeEach
    void needsRoot() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give files to another user");
        nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    /** @return the name whose region and lock file a killed server left, now owned by nobody with mode 0666 */
    private String plantRegion() throws IOException {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "2", "4096", "HYBRID")) {
            server.awaitLine("READY");
            server.kill();
        }
        for (Path file : new Path[] {dir.resolve(name), dir.resolve(name + ".lock")}) {
            Files.setOwner(file, nobody);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        return name;
    }

    @Test
    void serverReplacesARegionAndLockFilePlantedByAnotherUserWithFilesOfItsOwn() throws IOException {
        String name = plantRegion();
        try (ShmServer server = ShmServer.start(
                        name, config(dir).build(), (request, response) -> response.write(request.payloadBytes()));
                ShmClient client = new ShmClient(name, config(dir).build())) {
            for (Path file : new Path[] {dir.resolve(name), dir.resolve(name + ".lock")}) {
                // Before the fix the server adopted the region as it was: nobody's, mode 0666.
                assertThat(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName())
                        .as("owner of " + file)
                        .isEqualTo("root");
                assertThat(PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                        .as("mode of " + file)
                        .isEqualTo("rw-------");
            }
            assertThat(text(client.call("echo", utf8("mine"), LONG))).isEqualTo("mine");
        }
    }

    @Test
    void clientRefusesARegionOwnedByAnotherUserUnlessThatUserIsTheConfiguredOwner() throws IOException {
        String name = plantRegion();
        try (ShmClient client = new ShmClient(name, config(dir).build())) {
            // Before the fix the client mapped it and only found its server dead.
            ShmServerUnavailableException e =
                    catchThrowableOfType(ShmServerUnavailableException.class, client::connect);
            assertThat(e.getMessage())
                    .contains(dir.resolve(name).toString())
                    .contains("owned by uid")
                    .contains("mode 0666")
                    .contains("shmipc.client.file-owner");
        }
        try (ShmClient trusting =
                new ShmClient(name, config(dir).fileOwner("nobody").build())) {
            ShmServerUnavailableException e =
                    catchThrowableOfType(ShmServerUnavailableException.class, trusting::connect);
            assertThat(e.getMessage())
                    .as("trusted, so it gets as far as the dead server")
                    .contains("is not alive");
        }
    }
}

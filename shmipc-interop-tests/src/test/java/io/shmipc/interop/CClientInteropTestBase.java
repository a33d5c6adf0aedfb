package io.shmipc.interop;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What every C client interop test needs: the C client built, and a directory of its own for regions. */
abstract class CClientInteropTestBase {

    @TempDir
    Path dir;

    /** Per test, not per class: a skip in a class-level hook would be invisible in Maven's summary. */
    @BeforeEach
    void buildCClient() throws Exception {
        CClient.build();
    }
}

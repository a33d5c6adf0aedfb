package io.shmipc.core;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class BuildSmokeTest { @Test void runsOnJdk25() { assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25); } }

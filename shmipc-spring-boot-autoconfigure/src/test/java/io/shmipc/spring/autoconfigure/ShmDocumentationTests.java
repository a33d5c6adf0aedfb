package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keeps the configuration table of README.md in step with the generated configuration metadata. */
class ShmDocumentationTests {

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    void everyPropertyInTheMetadataShouldBeInTheDocumentedTable() throws Exception {
        List<String> metadata = new ArrayList<>();
        List<String> deprecated = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
                if (property.has("deprecation")) {
                    // A moved property: the text under the table names it, the table lists where it went.
                    deprecated.add(property.get("name").asString());
                } else {
                    metadata.add(property.get("name").asString());
                }
            }
        }
        // Surefire runs in the module folder; the docs live at the repository root.
        String docs = Files.readString(Path.of("..", "README.md"));
        int start = docs.indexOf("\n## Configuration");
        assertThat(start).as("a '## Configuration' section").isPositive();
        int end = docs.indexOf("\n## ", start + 1);
        String table = docs.substring(start, end < 0 ? docs.length() : end);
        List<String> documented = new ArrayList<>();
        Matcher row = TABLE_ROW.matcher(table);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(metadata)
                .isNotEmpty()
                .contains("shmipc.name", "shmipc.wait.mode", "management.health.shmipc.enabled");
        assertThat(documented).containsAll(metadata);
        assertThat(metadata).as("documented properties that do not exist").containsAll(documented);
        assertThat(deprecated).containsExactlyInAnyOrder("shmipc.slots", "shmipc.slot-size", "shmipc.file-mode");
        assertThat(table)
                .as("the moved properties are named under the table")
                .contains(deprecated.stream().map(name -> "`" + name + "`").toList());
    }
}

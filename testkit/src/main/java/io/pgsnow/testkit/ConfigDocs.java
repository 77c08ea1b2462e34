package io.pgsnow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Markdown reference of a plugin's configuration, rendered from its ConfigDef, and the check that
 * keeps the checked-in file equal to it. Run a build with {@code PGSNOW_WRITE_DOCS=true} to rewrite
 * the files after changing a config.
 */
public final class ConfigDocs {
  /** A plugin with its config, documented in {@code file}. */
  public record Documented(
      String file, String title, List<Class<?>> classes, String overview, ConfigDef def) {}

  private ConfigDocs() {}

  /** Every key has a documentation string, a group and a display name. */
  public static void assertEveryKeyDocumented(Documented doc) {
    for (ConfigKey key : doc.def().configKeys().values()) {
      assertThat(key.documentation).as(doc.title() + " " + key.name).isNotBlank();
      assertThat(key.group).as(doc.title() + " " + key.name).isNotBlank();
      assertThat(key.displayName).as(doc.title() + " " + key.name).isNotBlank();
    }
  }

  /** The file under {@code dir} equals the rendering (or is rewritten, with PGSNOW_WRITE_DOCS). */
  public static void assertUpToDate(Path dir, Documented doc) throws IOException {
    Path file = dir.resolve(doc.file());
    String expected = render(doc);
    if (Boolean.parseBoolean(System.getenv("PGSNOW_WRITE_DOCS"))) {
      Files.createDirectories(dir);
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(file).as("%s is stale: run the build with PGSNOW_WRITE_DOCS=true", file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("%s is stale: run the build with PGSNOW_WRITE_DOCS=true", file)
        .isEqualTo(expected);
  }

  public static String render(Documented doc) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(doc.title()).append("\n\n");
    out.append(
        "<!-- Generated from the ConfigDef by the module's ConfigDocsTest; do not edit. -->\n\n");
    out.append(doc.overview().replaceAll("</?code>", "`")).append("\n\n");
    out.append("Classes: ")
        .append(
            doc.classes().stream()
                .map(c -> "`" + c.getName() + "`")
                .collect(Collectors.joining(", ")))
        .append("\n\n");
    String group = null;
    for (ConfigKey key : doc.def().configKeys().values()) {
      if (!key.group.equals(group)) {
        out.append(group == null ? "" : "\n");
        group = key.group;
        out.append("## ").append(group).append("\n\n");
        out.append("| key | type | default | valid values | importance | description |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
      }
      out.append("| `")
          .append(key.name)
          .append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(defaultText(key))
          .append(" | ")
          .append(key.validator == null ? "" : cell(key.validator.toString()))
          .append(" | ")
          .append(key.importance.name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(cell(key.documentation))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String defaultText(ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    if (key.type == ConfigDef.Type.PASSWORD || value == null) {
      return "\"\"";
    }
    String text =
        value instanceof List<?> list
            ? String.join(",", list.stream().map(String::valueOf).toList())
            : String.valueOf(value);
    return text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}

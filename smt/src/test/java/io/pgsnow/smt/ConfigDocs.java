package io.pgsnow.smt;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/** Markdown reference of a transform's configuration, rendered from its ConfigDef. */
final class ConfigDocs {
  /** A transform with its config, as documented in {@code smt/docs}. */
  record Documented(
      String file, String title, List<Class<?>> classes, String overview, ConfigDef def) {}

  static final List<Documented> ALL =
      List.of(
          new Documented(
              "unwrap-change-event.md",
              "UnwrapChangeEvent",
              List.of(UnwrapChangeEvent.Value.class, UnwrapChangeEvent.Key.class),
              UnwrapChangeEvent.OVERVIEW_DOC,
              UnwrapChangeEventConfig.CONFIG_DEF),
          new Documented(
              "flatten.md",
              "Flatten",
              List.of(Flatten.Value.class, Flatten.Key.class),
              Flatten.OVERVIEW_DOC,
              FlattenConfig.CONFIG_DEF),
          new Documented(
              "lookup-join.md",
              "LookupJoin",
              List.of(LookupJoin.Value.class, LookupJoin.Key.class),
              LookupJoin.OVERVIEW_DOC,
              LookupJoinConfig.CONFIG_DEF),
          new Documented(
              "concat-fields.md",
              "ConcatFields",
              List.of(ConcatFields.Value.class, ConcatFields.Key.class),
              ConcatFields.OVERVIEW_DOC,
              ConcatFieldsConfig.CONFIG_DEF));

  private ConfigDocs() {}

  static String render(Documented doc) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(doc.title()).append("\n\n");
    out.append("<!-- Generated from the ConfigDef by ConfigDocsTest; do not edit. -->\n\n");
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
          .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(defaultText(key))
          .append(" | ")
          .append(key.validator == null ? "" : cell(key.validator.toString()))
          .append(" | ")
          .append(key.importance.name().toLowerCase(java.util.Locale.ROOT))
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
    if (key.type == ConfigDef.Type.PASSWORD) {
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

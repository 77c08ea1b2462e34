package io.pgsnow.source.naming;

import java.util.regex.Pattern;

/**
 * The names a captured table gets in Kafka: its topic and the base of its Connect schema names
 * ({@code <schemaNameBase>.Key}, {@code .Value}, {@code .Envelope}).
 *
 * @param schema the PostgreSQL schema, as in the catalog
 * @param table the PostgreSQL table, as in the catalog
 * @param topic the Kafka topic its changes go to
 * @param schemaNameBase the start of the names of its Connect schemas
 * @param renamed whether the topic differs from {@code <topic.prefix>.<schema>.<table>}
 */
public record TableNames(
    String schema, String table, String topic, String schemaNameBase, boolean renamed) {
  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

  /** The table as PostgreSQL would print it: {@code schema.table}, quoted where SQL needs it. */
  public String qualifiedName() {
    return qualifiedName(schema, table);
  }

  /** {@code schema.table} as PostgreSQL would print it, quoted where SQL needs it. */
  public static String qualifiedName(String schema, String table) {
    return quoteIfNeeded(schema) + "." + quoteIfNeeded(table);
  }

  /** Whether both name the same PostgreSQL table. */
  public boolean sameTable(TableNames other) {
    return schema.equals(other.schema) && table.equals(other.table);
  }

  private static String quoteIfNeeded(String identifier) {
    return PLAIN_IDENTIFIER.matcher(identifier).matches()
        ? identifier
        : "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}

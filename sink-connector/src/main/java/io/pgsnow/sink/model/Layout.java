package io.pgsnow.sink.model;

import io.pgsnow.sink.ddl.TableColumns;

/**
 * How the table holds a change: a Debezium envelope ({@code before}, {@code after}, {@code op},
 * {@code source}) or a row unwrapped by {@code UnwrapChangeEvent} with the envelope fields it added
 * ({@code __op}, {@code __commit_lsn}, …); in {@code RECORD_CONTENT} or, schematized, in one column
 * per top-level field. Renders the SQL reading each part.
 *
 * @param prefix the prefix of the fields UnwrapChangeEvent added ({@code add.fields.prefix})
 * @param hasOp whether the unwrapped row carries the operation
 * @param hasDeleted whether the unwrapped row carries {@code __deleted} (delete rewrite mode)
 * @param hasPosition whether the records carry {@code commit_lsn} and {@code event_index}
 */
public record Layout(
    boolean envelope,
    boolean schematized,
    String prefix,
    boolean hasOp,
    boolean hasDeleted,
    boolean hasPosition) {

  static final String CONTENT = "RECORD_CONTENT";
  static final String ROW = "\"_PGSNOW_ROW\"";

  public static Layout envelope(boolean schematized) {
    return new Layout(true, schematized, "", true, false, true);
  }

  /** A top-level field of the record value. */
  String top(String field) {
    return schematized
        ? TableColumns.columnName(field).sql()
        : CONTENT + ":" + FieldRef.pathKey(field);
  }

  private String added(String name) {
    return top(prefix + name);
  }

  /** The operation: c, u, d, r or t. */
  String op() {
    if (envelope) {
      return top("op") + "::VARCHAR";
    }
    String op = hasOp ? added("op") + "::VARCHAR" : "'u'";
    return hasDeleted ? "IFF(" + added("deleted") + "::VARCHAR = 'true', 'd', " + op + ")" : op;
  }

  String commitLsn() {
    return envelope ? sourceField("commit_lsn") : added("commit_lsn") + "::NUMBER";
  }

  String eventIndex() {
    return envelope ? sourceField("event_index") : added("event_index") + "::NUMBER";
  }

  private String sourceField(String name) {
    // A path goes on with a dot; a column starts one with a colon.
    return top("source") + (schematized ? ":" : ".") + FieldRef.pathKey(name) + "::NUMBER";
  }

  /** The row of an envelope: {@code before} for a delete, {@code after} otherwise. */
  String envelopeRow() {
    return "IFF(" + op() + " = 'd', " + top("before") + ", " + top("after") + ")";
  }

  /** Where a row field is read, in a query over the inner query of {@link ModelSql}. */
  FieldRef field(String name) {
    if (envelope) {
      return FieldRef.path(ROW, name);
    }
    return schematized
        ? FieldRef.column(TableColumns.columnName(name).sql())
        : FieldRef.path(CONTENT, name);
  }

  /** Whether a field of an unwrapped row is one UnwrapChangeEvent added. */
  boolean isAdded(String field) {
    return !envelope && !prefix.isEmpty() && field.startsWith(prefix);
  }

  /** Whether the current state can be built: deletes and positions are visible. */
  boolean supportsCurrentState() {
    return hasPosition && (envelope || hasOp || hasDeleted);
  }
}

package io.pgsnow.source.events;

import java.util.List;
import java.util.Map;

/**
 * Reads the current value of TOASTed columns that an update left unchanged and PostgreSQL did not
 * send ({@code toast.handling.mode=reselect}), for many rows of one table at once.
 */
@FunctionalInterface
public interface ToastReselect {
  /**
   * The rows of {@code schema.table} whose {@code keyColumns} equal one of {@code keys} (values in
   * PostgreSQL's text form), each as the text of {@code columns} (null for SQL NULL), by key. A key
   * whose row no longer exists is absent.
   */
  Map<List<String>, Map<String, String>> select(
      String schema,
      String table,
      List<String> keyColumns,
      List<String> columns,
      List<List<String>> keys);
}

package io.pgsnow.source.schema;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the values that their column's representation cannot hold and that change events carry as
 * null plus a {@code pgsnow.special.<column>} header, and logs the first one of each column.
 */
public final class SpecialValues {
  /** The header prefix; the header's name ends with the column's name. */
  public static final String HEADER_PREFIX = "pgsnow.special.";

  private static final Logger LOG = LoggerFactory.getLogger(SpecialValues.class);

  private final AtomicLong count = new AtomicLong();
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /** Counts one special value of {@code schema.table.column}, logging the column's first. */
  public void report(String schema, String table, String column, String text) {
    count.incrementAndGet();
    String qualified = schema + "." + table + "." + column;
    if (logged.add(qualified)) {
      LOG.warn(
          "Column {} holds a value its representation cannot hold ({}): the change events carry"
              + " null in the field and the value's text in header {}{} (logged once per column)",
          qualified,
          text,
          HEADER_PREFIX,
          column);
    }
  }

  public long count() {
    return count.get();
  }
}

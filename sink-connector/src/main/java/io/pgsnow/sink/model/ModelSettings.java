package io.pgsnow.sink.model;

import io.pgsnow.sink.naming.Identifier;
import java.util.Optional;

/**
 * Which models the sink keeps over each table.
 *
 * @param views whether to keep the typed view {@code <TABLE>_VIEW}
 * @param currentState what {@code <TABLE>_CURRENT} is
 * @param targetLag the dynamic table's {@code TARGET_LAG} ({@code '1 minute'} or {@code
 *     DOWNSTREAM})
 * @param warehouse the warehouse refreshing the dynamic table
 */
public record ModelSettings(
    boolean views, CurrentState currentState, String targetLag, Optional<Identifier> warehouse) {

  /** What the current state of a table is kept as. */
  public enum CurrentState {
    NONE,
    VIEW,
    DYNAMIC_TABLE
  }

  public boolean any() {
    return views || currentState != CurrentState.NONE;
  }

  /** The TARGET_LAG clause's value: a quoted duration or the word DOWNSTREAM. */
  String targetLagSql() {
    return targetLag.equalsIgnoreCase("DOWNSTREAM")
        ? "DOWNSTREAM"
        : "'" + targetLag.replace("'", "''") + "'";
  }
}

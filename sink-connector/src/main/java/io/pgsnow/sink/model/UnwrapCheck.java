package io.pgsnow.sink.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks that the sink's own {@code UnwrapChangeEvent} transforms keep what the current state
 * needs: the source position ({@code commit_lsn}, {@code event_index}) and a visible delete ({@code
 * op}, or {@code __deleted} from the rewrite modes). Without them the model would be wrong, so the
 * config is rejected naming the options to add.
 */
public final class UnwrapCheck {

  private static final String UNWRAP = "io.pgsnow.smt.UnwrapChangeEvent$Value";

  private UnwrapCheck() {}

  /** Problems of the transforms chain in {@code config}, one per unwrap transform lacking. */
  public static List<String> problems(Map<String, String> config) {
    List<String> problems = new ArrayList<>();
    String chain = config.getOrDefault("transforms", "");
    for (String alias : chain.split(",")) {
      String name = alias.trim();
      if (name.isEmpty() || !UNWRAP.equals(config.get("transforms." + name + ".type"))) {
        continue;
      }
      String prefix = "transforms." + name + ".";
      List<String> fields =
          Arrays.stream(config.getOrDefault(prefix + "add.fields", "").split(","))
              .map(f -> f.trim().toLowerCase(Locale.ROOT))
              .toList();
      String deletes =
          config.getOrDefault(prefix + "delete.tombstone.handling.mode", "tombstone").trim();
      List<String> missing = new ArrayList<>();
      for (String needed : List.of("op", "commit_lsn", "event_index")) {
        if (!fields.contains(needed) && !fields.contains("source." + needed)) {
          missing.add(needed);
        }
      }
      boolean rewrites = deletes.toLowerCase(Locale.ROOT).startsWith("rewrite");
      if (!missing.isEmpty() || !rewrites) {
        problems.add(
            "The current state needs each change's source position and its deletes, which"
                + " transform '"
                + name
                + "' removes: set "
                + prefix
                + "add.fields to include "
                + String.join(
                    ",", missing.isEmpty() ? List.of("op", "commit_lsn", "event_index") : missing)
                + (rewrites ? "" : " and " + prefix + "delete.tombstone.handling.mode=rewrite"));
      }
    }
    return problems;
  }

  /** The message for records that reach the sink without what the current state needs. */
  public static String runtimeProblem(String table, Layout layout) {
    if (layout.envelope()) {
      return "Table "
          + table
          + ": the change events' source block has no commit_lsn and event_index, which order"
          + " the current state; they come from the pgsnow PostgreSQL source. Set"
          + " snowflake.model.current_state=none for other producers";
    }
    return "Table "
        + table
        + ": the unwrapped rows lack the source position or the delete marker the current state"
        + " needs; configure UnwrapChangeEvent with add.fields=op,commit_lsn,event_index and"
        + " delete.tombstone.handling.mode=rewrite (or set snowflake.model.current_state=none)";
  }
}

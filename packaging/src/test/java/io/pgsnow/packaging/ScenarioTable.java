package io.pgsnow.packaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fault suite's figures: one row per scenario, printed as a Markdown table. An exactly-once row
 * fails with any change lost or duplicated; an at-least-once row with any change lost or any
 * departure from the documented duplicates (its {@code violations}).
 */
final class ScenarioTable {
  private record Row(
      String scenario,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      String state,
      Duration fault,
      Duration recovery,
      List<String> violations) {
    boolean atLeastOnce() {
      return violations != null;
    }

    boolean failed() {
      if (recovery.isNegative() || state.contains("differ")) {
        return true;
      }
      if (atLeastOnce()) {
        return kafka.lost() > 0 || warehouse.lost() > 0 || !violations.isEmpty();
      }
      return !kafka.exact() || !warehouse.exact();
    }
  }

  private final List<Row> rows = new ArrayList<>();

  /** Adds a scenario's row and prints it, so a long run shows its progress. */
  synchronized void add(
      String scenario,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      String state,
      Duration fault,
      Duration recovery) {
    add(new Row(scenario, kafka, warehouse, state, fault, recovery, null));
  }

  /**
   * Adds an at-least-once scenario's row: duplicates are allowed as far as they are the documented
   * ones, replays of changes written at most {@code window} before the fault; {@code violations}
   * says where they are not.
   */
  synchronized void addAtLeastOnce(
      String scenario,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      Duration window,
      List<String> violations,
      Duration fault,
      Duration recovery) {
    String state =
        violations.isEmpty()
            ? "documented: "
                + kafka.duplicated()
                + " replayed (the same events), written < "
                + window.toSeconds()
                + " s before the kill"
            : "not as documented: " + violations.stream().limit(3).toList();
    add(new Row(scenario, kafka, warehouse, state, fault, recovery, List.copyOf(violations)));
  }

  private void add(Row row) {
    rows.add(row);
    System.out.println("| " + HEADER + "\n" + line(row));
    if (!row.kafka().exact() || !row.warehouse().exact()) {
      System.out.println(
          "  Kafka: " + row.kafka().examples() + " warehouse: " + row.warehouse().examples());
    }
  }

  private static final String HEADER =
      "scenario | changes written | in Kafka | in the warehouse | lost (Kafka / warehouse)"
          + " | duplicated (Kafka / warehouse) | current state | fault lasted | recovery |";

  synchronized String render(String form, Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("Fault suite, ")
        .append(form)
        .append(" form, ")
        .append(took.toSeconds())
        .append(" s\n\n| ")
        .append(HEADER)
        .append("\n|")
        .append(" --- |".repeat(9))
        .append('\n');
    rows.forEach(r -> out.append(line(r)).append('\n'));
    return out.toString();
  }

  /**
   * Scenarios where a stage lost a change or duplicated one (beyond the documented duplicates, at
   * least once), or the model differed.
   */
  synchronized List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Row r : rows) {
      if (r.failed()) {
        failures.add(
            line(r)
                + " "
                + r.kafka().examples()
                + " "
                + r.warehouse().examples()
                + (r.atLeastOnce() ? " " + r.violations() : ""));
      }
    }
    return failures;
  }

  private static String line(Row r) {
    return String.join(
        " | ",
        "| " + r.scenario(),
        Long.toString(r.kafka().expected()),
        Long.toString(r.kafka().found()),
        Long.toString(r.warehouse().found()),
        r.kafka().lost() + " / " + r.warehouse().lost(),
        r.kafka().duplicated() + " / " + r.warehouse().duplicated(),
        r.state(),
        seconds(r.fault()),
        r.recovery().isNegative() ? "not recovered" : seconds(r.recovery()) + " |");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}

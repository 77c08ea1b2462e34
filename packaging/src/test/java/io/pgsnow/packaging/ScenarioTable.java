package io.pgsnow.packaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fault suite's figures: one row per scenario, printed as a Markdown table. */
final class ScenarioTable {
  private record Row(
      String scenario,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      String state,
      Duration fault,
      Duration recovery) {}

  private final List<Row> rows = new ArrayList<>();

  /** Adds a scenario's row and prints it, so a long run shows its progress. */
  synchronized void add(
      String scenario,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      String state,
      Duration fault,
      Duration recovery) {
    Row row = new Row(scenario, kafka, warehouse, state, fault, recovery);
    rows.add(row);
    System.out.println("| " + HEADER + "\n" + line(row));
    if (!kafka.exact() || !warehouse.exact()) {
      System.out.println("  Kafka: " + kafka.examples() + " warehouse: " + warehouse.examples());
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

  /** Scenarios where a stage lost or duplicated a change, or the model differed. */
  synchronized List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Row r : rows) {
      if (!r.kafka().exact()
          || !r.warehouse().exact()
          || r.recovery().isNegative()
          || r.state().contains("differ")) {
        failures.add(line(r) + " " + r.kafka().examples() + " " + r.warehouse().examples());
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

package io.pgsnow.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL's {@code payroll} table next to the sink's {@code PAYROLL_CURRENT} model of it: the
 * current-state model is right when it holds the same rows with the same values.
 *
 * @param postgres {@code SELECT * FROM payroll ORDER BY employee_id} in PostgreSQL
 * @param current {@code SELECT * FROM PAYROLL_CURRENT ORDER BY EMPLOYEE_ID} in Snowflake
 */
record PayrollComparison(QueryResult postgres, QueryResult current) {
  static final String CURRENT = "KAFKA_DB.PUBLIC.PAYROLL_CURRENT";
  static final String POSTGRES_QUERY = "SELECT * FROM payroll ORDER BY employee_id";
  static final String CURRENT_QUERY = "SELECT * FROM " + CURRENT + " ORDER BY EMPLOYEE_ID";

  /**
   * The model's rows with their values in the order of PostgreSQL's columns, matched by name (the
   * model upper-cases plain names); empty when the model lacks one of them.
   */
  Optional<List<List<String>>> currentInPostgresOrder() {
    List<String> names = current.columns().stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    List<Integer> positions = new ArrayList<>();
    for (String column : postgres.columns()) {
      int at = names.indexOf(column.toUpperCase(Locale.ROOT));
      if (at < 0) {
        return Optional.empty();
      }
      positions.add(at);
    }
    return Optional.of(
        current.rows().stream().map(row -> positions.stream().map(row::get).toList()).toList());
  }

  /** Whether the model holds exactly PostgreSQL's rows and columns, value for value. */
  boolean matches() {
    return current.columns().size() == postgres.columns().size()
        && currentInPostgresOrder().map(postgres.rows()::equals).orElse(false);
  }

  void print(PrintStream out) {
    SeedQueries.printTable(
        out,
        "PostgreSQL: " + POSTGRES_QUERY + " (" + postgres.rows().size() + " rows)",
        postgres.columns(),
        postgres.rows());
    SeedQueries.printTable(
        out,
        "Snowflake: SELECT * FROM PAYROLL_CURRENT ORDER BY EMPLOYEE_ID ("
            + current.rows().size()
            + " rows)",
        current.columns(),
        current.rows());
    out.println(
        matches()
            ? "\n  PAYROLL_CURRENT equals PostgreSQL's payroll, row for row and value for value"
            : "\n  PAYROLL_CURRENT DIFFERS from PostgreSQL's payroll");
  }
}

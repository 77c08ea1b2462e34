package io.pgsnow.demo;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;

/** The seed's Snowflake queries on the landed data, printed as the demo's last step. */
final class SeedQueries {
  static final String COMPLETE_TABLE = "KAFKA_DB.PUBLIC.PAYROLL_COMPLETE";
  static final String PAYROLL_TABLE = "KAFKA_DB.PUBLIC.TOPIC_PAYROLL";

  private final Warehouse warehouse;
  private final PrintStream out;

  SeedQueries(Warehouse warehouse, PrintStream out) {
    this.warehouse = warehouse;
    this.out = out;
  }

  /** The joined rows in the order they landed. */
  List<List<String>> completeRows() throws SQLException {
    return warehouse.query(
        "SELECT RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
            + " RECORD_CONTENT:FULL_NAME::STRING AS FULL_NAME,"
            + " RECORD_CONTENT:bonus::NUMBER AS BONUS,"
            + " RECORD_CONTENT:hourly_rate::NUMBER AS HOURLY_RATE"
            + " FROM "
            + COMPLETE_TABLE
            + " ORDER BY RECORD_METADATA:offset::NUMBER");
  }

  /** Prints the joined rows, the seed's payroll view, and the stages and pipes the sink made. */
  void print() throws SQLException {
    List<List<String>> rows = completeRows();
    printTable(
        out,
        "SELECT ... FROM PAYROLL_COMPLETE (first 10 of " + rows.size() + ")",
        List.of("EMPLOYEE_ID", "FULL_NAME", "BONUS", "HOURLY_RATE"),
        rows.subList(0, Math.min(10, rows.size())));
    warehouse.execute(
        "CREATE OR REPLACE VIEW KAFKA_DB.PUBLIC.TOPIC_PAYROLL_VIEW AS SELECT RECORD_CONTENT,"
            + " RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
            + " TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) AS CREATED_AT"
            + " FROM "
            + PAYROLL_TABLE);
    printTable(
        out,
        "SELECT * FROM TOPIC_PAYROLL_VIEW ORDER BY CREATED_AT DESC (first 5)",
        List.of("EMPLOYEE_ID", "CREATED_AT"),
        warehouse.query(
            "SELECT EMPLOYEE_ID, CREATED_AT FROM KAFKA_DB.PUBLIC.TOPIC_PAYROLL_VIEW"
                + " ORDER BY CREATED_AT DESC LIMIT 5"));
    for (List<String> stage : warehouse.query("SHOW STAGES IN SCHEMA KAFKA_DB.PUBLIC")) {
      out.println("  stage: " + String.join(" | ", stage.subList(0, Math.min(4, stage.size()))));
    }
    for (List<String> pipe : warehouse.query("SHOW PIPES IN SCHEMA KAFKA_DB.PUBLIC")) {
      out.println("  pipe:  " + String.join(" | ", pipe.subList(0, Math.min(4, pipe.size()))));
    }
  }

  static void printTable(
      PrintStream out, String title, List<String> header, List<List<String>> rows) {
    out.println("\n  " + title);
    out.println("  " + String.join(" | ", header));
    rows.forEach(r -> out.println("  " + String.join(" | ", r)));
  }
}

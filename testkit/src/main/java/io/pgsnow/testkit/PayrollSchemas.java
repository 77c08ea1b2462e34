package io.pgsnow.testkit;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The columns of the seed's {@code payroll} and {@code payroll_bonus} tables as Kafka Connect
 * fields, defined once for the tests and benchmarks that build their change events.
 */
public final class PayrollSchemas {

  private PayrollSchemas() {}

  /** Adds the columns of {@code payroll}, in table order, to {@code row}. */
  public static SchemaBuilder payrollColumns(SchemaBuilder row) {
    return row.field("employee_id", Schema.INT32_SCHEMA)
        .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
        .field("age", Schema.OPTIONAL_INT32_SCHEMA)
        .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
        .field("hourly_rate", Schema.OPTIONAL_INT32_SCHEMA)
        .field("gender", Schema.OPTIONAL_STRING_SCHEMA)
        .field("email", Schema.OPTIONAL_STRING_SCHEMA);
  }

  /** Adds the columns of {@code payroll_bonus}, in table order, to {@code row}. */
  public static SchemaBuilder bonusColumns(SchemaBuilder row) {
    return row.field("bonus_id", Schema.INT32_SCHEMA)
        .field("employee_id", Schema.INT32_SCHEMA)
        .field("bonus", Schema.OPTIONAL_INT32_SCHEMA)
        .field("ts", Schema.OPTIONAL_INT64_SCHEMA);
  }
}

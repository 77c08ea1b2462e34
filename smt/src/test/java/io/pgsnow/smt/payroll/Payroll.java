package io.pgsnow.smt.payroll;

import io.pgsnow.smt.ChangeEvents;
import io.pgsnow.testkit.PayrollSchemas;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** The seed's two tables: payroll (the lookup table) and payroll_bonus (the stream). */
public final class Payroll {
  public static final Schema PAYROLL =
      PayrollSchemas.payrollColumns(SchemaBuilder.struct()).build();

  public static final Schema BONUS = PayrollSchemas.bonusColumns(SchemaBuilder.struct()).build();

  private Payroll() {}

  public static ChangeEvents payrollEvents(String prefix) {
    return new ChangeEvents(prefix, "payroll", PAYROLL, "employee_id");
  }

  public static ChangeEvents bonusEvents(String prefix) {
    return new ChangeEvents(prefix, "payroll_bonus", BONUS, "bonus_id");
  }

  public static Struct employee(
      ChangeEvents payroll, int id, String first, String last, int age, int rate) {
    return payroll.row(
        "employee_id",
        id,
        "first_name",
        first,
        "last_name",
        last,
        "age",
        age,
        "ssn",
        "000-00-" + id,
        "hourly_rate",
        rate,
        "gender",
        id % 2 == 0 ? "female" : "male",
        "email",
        first == null ? null : first.toLowerCase(java.util.Locale.ROOT) + "@mycompany.com");
  }

  public static Struct bonus(ChangeEvents bonuses, int bonusId, int employeeId, int amount) {
    return bonuses.row(
        "bonus_id", bonusId, "employee_id", employeeId, "bonus", amount, "ts", 1640317836271L);
  }
}

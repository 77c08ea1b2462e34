package io.pgsnow.smt.payroll;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;

/**
 * What the seed's ksqlDB pipeline gives for a sequence of changes: {@code PAYROLL_TABLE} (latest
 * row per employee) joined with each bonus as it arrives, projected to the columns of {@code
 * PAYROLL_COMPLETE_STREAM}. The one intended difference: FULL_NAME skips a null name part instead
 * of writing "null". ITs feed it the same changes as the pipeline and compare outputs.
 */
public final class SeedPayrollJoin {
  /** The output columns of the seed's PAYROLL_COMPLETE_STREAM, in its order. */
  public static final List<String> COLUMNS =
      List.of("EMPLOYEE_ID", "FULL_NAME", "AGE", "SSN", "HOURLY_RATE", "BONUS", "GENDER", "EMAIL");

  private final boolean left;
  private final Map<Long, Struct> payroll = new HashMap<>();
  private final List<Map<String, Object>> output = new ArrayList<>();

  /**
   * @param left whether bonuses of unknown employees are kept (left join) or dropped (the seed's
   *     INNER JOIN)
   */
  public SeedPayrollJoin(boolean left) {
    this.left = left;
  }

  /** Starts from the payroll table another run ended with. */
  void copyTable(SeedPayrollJoin other) {
    payroll.putAll(other.payroll);
  }

  public void upsert(Struct employee) {
    payroll.put(((Number) employee.get("employee_id")).longValue(), employee);
  }

  public void delete(int employeeId) {
    payroll.remove((long) employeeId);
  }

  public void bonus(Struct bonus) {
    long id = ((Number) bonus.get("employee_id")).longValue();
    Struct employee = payroll.get(id);
    if (employee == null && !left) {
      return;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("EMPLOYEE_ID", id);
    row.put("FULL_NAME", employee == null ? null : fullName(employee));
    row.put("AGE", employee == null ? null : asLong(employee.get("age")));
    row.put("SSN", employee == null ? null : employee.get("ssn"));
    row.put("HOURLY_RATE", employee == null ? null : asLong(employee.get("hourly_rate")));
    row.put("BONUS", asLong(bonus.get("bonus")));
    row.put("GENDER", employee == null ? null : employee.get("gender"));
    row.put("EMAIL", employee == null ? null : employee.get("email"));
    output.add(row);
  }

  private static String fullName(Struct employee) {
    String first = employee.getString("first_name");
    String last = employee.getString("last_name");
    if (first == null || last == null) {
      return first == null ? last : first;
    }
    return first + " " + last;
  }

  public List<Map<String, Object>> output() {
    return List.copyOf(output);
  }

  /**
   * Projects a value of our pipeline's output (a bonus row enriched with the payroll fields and
   * FULL_NAME, as a schemaless map) onto the seed's columns.
   */
  public static Map<String, Object> project(Map<?, ?> value) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("EMPLOYEE_ID", asLong(value.get("employee_id")));
    row.put("FULL_NAME", value.get("FULL_NAME"));
    row.put("AGE", asLong(value.get("age")));
    row.put("SSN", value.get("ssn"));
    row.put("HOURLY_RATE", asLong(value.get("hourly_rate")));
    row.put("BONUS", asLong(value.get("bonus")));
    row.put("GENDER", value.get("gender"));
    row.put("EMAIL", value.get("email"));
    return row;
  }

  private static Long asLong(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }
}

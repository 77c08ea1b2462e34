package io.pgsnow.packaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes the seed's tables as a live system does (employees hired, renamed, given raises, let go
 * and hired again; bonuses paid, some to nobody), one committed statement at a time, and computes
 * the oracle of the seed's join from what it wrote: each bonus whose employee exists when it
 * commits becomes one row with the employee's columns as of that commit and {@code FULL_NAME}.
 */
final class PayrollWorkload {
  static final String SCHEMA_SQL =
      "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
          + " age int, ssn text, hourly_rate int, gender text, email text);"
          + " CREATE TABLE payroll_bonus (bonus_id serial PRIMARY KEY, employee_id int,"
          + " bonus int, ts bigint)";

  private static final List<String> FIRST =
      List.of("Sheridan", "Ann", "Bob", "Cher", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo");
  private static final List<String> LAST =
      List.of("Lezemere", "Lee", "Stone", "Okafor", "Silva", "Novak", "Ito", "Berg", "Diaz", "Kim");

  private final Connection connection;
  private final int employees;
  private final Random random = new Random(20261202);
  private final Map<Integer, Map<String, Object>> current = new TreeMap<>();
  private final Map<Long, Map<String, Object>> joined = new TreeMap<>();
  private int payrollChanges;
  private int bonuses;

  PayrollWorkload(Connection connection, int employees) {
    this.connection = connection;
    this.employees = employees;
  }

  /** Hires the first employees. */
  synchronized void hireAll() throws SQLException {
    for (int id = 1; id <= employees; id++) {
      hire(id);
    }
  }

  /** Writes {@code count} changes, most of them bonuses. */
  void write(int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      step();
    }
  }

  private synchronized void step() throws SQLException {
    int employee = 1 + random.nextInt(employees + 2); // the last two were never hired
    int dice = random.nextInt(100);
    boolean exists = current.containsKey(employee);
    if (dice < 8 && exists) {
      raise(employee);
    } else if (dice < 11 && exists) {
      let(employee);
    } else if (dice < 14 && !exists && employee <= employees) {
      hire(employee);
    } else {
      bonus(employee, 5 + random.nextInt(50));
    }
  }

  private void hire(int id) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    String first = FIRST.get(random.nextInt(FIRST.size()));
    row.put("first_name", first);
    row.put("last_name", LAST.get(random.nextInt(LAST.size())));
    row.put("age", 20L + random.nextInt(45));
    row.put("ssn", String.format("%03d-%02d-%04d", 100 + id, id % 100, random.nextInt(10_000)));
    row.put("hourly_rate", 15L + random.nextInt(30));
    row.put("gender", random.nextBoolean() ? "male" : "female");
    row.put("email", first.toLowerCase(java.util.Locale.ROOT) + id + "@mycompany.com");
    try (PreparedStatement ps =
        connection.prepareStatement("INSERT INTO payroll VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, (String) row.get("first_name"));
      ps.setString(3, (String) row.get("last_name"));
      ps.setInt(4, ((Long) row.get("age")).intValue());
      ps.setString(5, (String) row.get("ssn"));
      ps.setInt(6, ((Long) row.get("hourly_rate")).intValue());
      ps.setString(7, (String) row.get("gender"));
      ps.setString(8, (String) row.get("email"));
      ps.executeUpdate();
    }
    current.put(id, row);
    payrollChanges++;
  }

  private void raise(int id) throws SQLException {
    Map<String, Object> row = current.get(id);
    long rate = (Long) row.get("hourly_rate") + 1 + random.nextInt(5);
    String last = LAST.get(random.nextInt(LAST.size())) + "-" + id;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "UPDATE payroll SET hourly_rate = ?, last_name = ? WHERE employee_id = ?")) {
      ps.setInt(1, (int) rate);
      ps.setString(2, last);
      ps.setInt(3, id);
      ps.executeUpdate();
    }
    row.put("hourly_rate", rate);
    row.put("last_name", last);
    payrollChanges++;
  }

  private void let(int id) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("DELETE FROM payroll WHERE employee_id = ?")) {
      ps.setInt(1, id);
      ps.executeUpdate();
    }
    current.remove(id);
    // The example's unwrap rewrites a delete into a row flagged __deleted (the current state
    // needs it), so it is a record of the payroll topic like an insert or an update.
    payrollChanges++;
  }

  private void bonus(int employee, int amount) throws SQLException {
    long ts = 1_700_000_000_000L + bonuses;
    long bonusId;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO payroll_bonus (employee_id, bonus, ts) VALUES (?, ?, ?)"
                + " RETURNING bonus_id")) {
      ps.setInt(1, employee);
      ps.setInt(2, amount);
      ps.setLong(3, ts);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        bonusId = rs.getLong(1);
      }
    }
    bonuses++;
    Map<String, Object> employeeRow = current.get(employee);
    if (employeeRow == null) {
      return; // the inner join drops it
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bonus_id", bonusId);
    out.put("employee_id", (long) employee);
    out.put("bonus", (long) amount);
    out.put("ts", ts);
    out.putAll(employeeRow);
    out.put("FULL_NAME", employeeRow.get("first_name") + " " + employeeRow.get("last_name"));
    joined.put(bonusId, out);
  }

  /** The seed join's rows for what was written so far, by bonus id. */
  synchronized Map<Long, Map<String, Object>> expectedJoinedRows() {
    return new TreeMap<>(joined);
  }

  /** Inserts and updates of employees written so far: the payroll topic's non-tombstone rows. */
  synchronized int payrollChanges() {
    return payrollChanges;
  }

  synchronized int bonuses() {
    return bonuses;
  }

  /** A short description for assertion messages. */
  synchronized String summary() {
    List<String> parts = new ArrayList<>();
    parts.add(bonuses + " bonuses");
    parts.add(joined.size() + " joined");
    parts.add(payrollChanges + " employee inserts, updates and deletes");
    parts.add(current.size() + " employees now");
    return String.join(", ", parts);
  }
}

package io.pgsnow.demo;

import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The seed's transactional data: {@code payroll} (employees) and {@code payroll_bonus} (bonus
 * events), with the changes a live system makes while the pipeline runs: bonuses, a raise with a
 * name change, a deleted employee, and a bonus for an employee that does not exist.
 */
final class SeedData {
  static final int EMPLOYEES = 20;
  static final int FIRST_ID = 1001;
  static final int UNKNOWN_EMPLOYEE = 9999;
  private static final List<String> FIRST =
      List.of("Sheridan", "Ann", "Bob", "Cher", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo");
  private static final List<String> LAST =
      List.of("Lezemere", "Lee", "Stone", "Okafor", "Silva", "Novak", "Ito", "Berg", "Diaz", "Kim");

  private SeedData() {}

  static void createSchema(LocalPostgres pg, String db) {
    pg.executeIn(
        db,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
            + " age int, ssn text, hourly_rate int, gender text, email text)",
        "CREATE TABLE payroll_bonus (bonus_id serial PRIMARY KEY, employee_id int, bonus int,"
            + " ts bigint)");
  }

  static void insertEmployees(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO payroll VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < EMPLOYEES; i++) {
        int id = FIRST_ID + i;
        String first = FIRST.get(i % FIRST.size());
        ps.setInt(1, id);
        ps.setString(2, first);
        ps.setString(3, LAST.get((i * 7) % LAST.size()));
        ps.setInt(4, 22 + (i * 3) % 40);
        ps.setString(5, String.format("%03d-%02d-%04d", 100 + i, i, 1000 + i * 37));
        ps.setInt(6, 15 + (i * 5) % 30);
        ps.setString(7, i % 2 == 0 ? "male" : "female");
        ps.setString(8, first.toLowerCase(java.util.Locale.ROOT) + id + "@mycompany.com");
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Bonuses for known employees ({@code count} of them, all in the inner join's output), with a
   * raise and rename of the first employee half-way, the last employee deleted after its bonuses,
   * and one bonus for an unknown employee (dropped by the inner join).
   */
  static void generateChanges(Connection c, int count) throws SQLException {
    int lastEmployee = FIRST_ID + EMPLOYEES - 1;
    for (int i = 0; i < count; i++) {
      int employee = FIRST_ID + (i % (EMPLOYEES - 1));
      if (i == count / 2) {
        execute(
            c,
            "UPDATE payroll SET hourly_rate = hourly_rate + 10, last_name = 'Lezemere-Smith'"
                + " WHERE employee_id = "
                + FIRST_ID);
        bonus(c, lastEmployee, 99);
        execute(c, "DELETE FROM payroll WHERE employee_id = " + lastEmployee);
        bonus(c, UNKNOWN_EMPLOYEE, 1);
      }
      bonus(c, employee, 5 + (i * 11) % 46);
    }
  }

  /**
   * The records of the payroll topic after {@link #insertEmployees} and {@link #generateChanges}:
   * the employees' snapshot rows, the raise and the delete (a row flagged {@code __deleted}).
   */
  static int payrollChanges(int count) {
    return EMPLOYEES + (count > 0 ? 2 : 0);
  }

  /** The rows the seed's inner join gives for {@link #generateChanges}. */
  static int expectedJoinedRows(int count) {
    return count + 1;
  }

  private static void bonus(Connection c, int employee, int amount) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO payroll_bonus (employee_id, bonus, ts) VALUES (?, ?, ?)")) {
      ps.setInt(1, employee);
      ps.setInt(2, amount);
      ps.setLong(3, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

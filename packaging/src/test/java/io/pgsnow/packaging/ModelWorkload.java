package io.pgsnow.packaging;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A generated workload on two tables for the current-state models: inserts, updates (some leaving a
 * TOASTed value unchanged), deletes, primary-key changes, NULLs and every type the source maps, in
 * transactions of one to eight statements; the composite-key table with a quoted, mixed-case name
 * is truncated once. PostgreSQL itself is the oracle: the test compares with its tables.
 */
final class ModelWorkload {
  static final String SCHEMA_SQL =
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
          + " CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text,"
          + " last_name varchar(40), salary numeric(12,2), bonus_rate numeric(20,6), active"
          + " boolean, grade smallint, badge bigint, rating real, score double precision, hired"
          + " date, shift_start time, updated timestamp, updated_tz timestamptz, lunch timetz,"
          + " ext_id uuid, profile json, prefs jsonb, cv xml, mood mood, skills text[], levels"
          + " int[], photo bytea, tenure interval, notes text);"
          + " ALTER TABLE payroll ALTER COLUMN notes SET STORAGE EXTERNAL;"
          + " CREATE TABLE \"Order Lines\" (order_id int, \"Line No\" int, \"Item Name\" text,"
          + " qty int, price numeric(10,2), shipped timestamptz, PRIMARY KEY (order_id,"
          + " \"Line No\"))";

  private static final String INSERT_PAYROLL =
      "INSERT INTO payroll VALUES (?, ?, ?, ?::numeric, ?::numeric, ?, ?, ?, ?, ?, ?::date,"
          + " ?::time, ?::timestamp, ?::timestamptz, ?::timetz, ?::uuid, ?::json, ?::jsonb,"
          + " ?::xml, ?::mood, ?::text[], ?::int[], decode(?, 'hex'), ?::interval, ?)";

  private final Connection db;
  private final Random random = new Random(12);
  private final List<Integer> employees = new ArrayList<>();
  private final List<int[]> lines = new ArrayList<>();
  private int nextEmployee = 1;
  private int nextOrder = 1;
  private int operations;
  private boolean truncated;

  ModelWorkload(Connection db) throws SQLException {
    this.db = db;
    db.setAutoCommit(false);
  }

  int operations() {
    return operations;
  }

  /** Runs transactions until {@code count} more statements have been written. */
  void write(int count) throws SQLException {
    int target = operations + count;
    while (operations < target) {
      int statements = 1 + random.nextInt(8);
      for (int i = 0; i < statements; i++) {
        step();
      }
      db.commit();
    }
  }

  /** Truncates the composite-key table (once) in a transaction that then inserts again. */
  void truncateOrderLines() throws SQLException {
    try (var st = db.createStatement()) {
      st.execute("TRUNCATE \"Order Lines\"");
    }
    lines.clear();
    operations++;
    truncated = true;
    insertLine();
    db.commit();
  }

  boolean truncated() {
    return truncated;
  }

  private void step() throws SQLException {
    int dice = random.nextInt(100);
    if (dice < 50) {
      payrollStep(random.nextInt(100));
    } else {
      lineStep(random.nextInt(100));
    }
    operations++;
  }

  private void payrollStep(int dice) throws SQLException {
    if (employees.size() < 50 || dice < 30) {
      insertEmployee();
    } else if (dice < 75) {
      updateEmployee(pick(employees));
    } else if (dice < 88) {
      int id = employees.remove(random.nextInt(employees.size()));
      run("DELETE FROM payroll WHERE employee_id = ?", id);
    } else {
      int old = employees.remove(random.nextInt(employees.size()));
      int id = nextEmployee++;
      // A key change sends the new row whole only when its TOASTed values are written again.
      run("UPDATE payroll SET employee_id = ?, notes = notes || '' WHERE employee_id = ?", id, old);
      employees.add(id);
    }
  }

  private void insertEmployee() throws SQLException {
    int id = nextEmployee++;
    try (PreparedStatement ps = db.prepareStatement(INSERT_PAYROLL)) {
      Object[] values = {
        id,
        maybe("name" + random.nextInt(1000)),
        maybe("Last \"O'Neil\" " + random.nextInt(50)),
        maybe(new BigDecimal(random.nextInt(10_000_000)).movePointLeft(2).toPlainString()),
        maybe(
            new BigDecimal(random.nextLong() % 100_000_000_000_000L)
                .movePointLeft(6)
                .toPlainString()),
        maybe(random.nextBoolean()),
        maybe((short) (random.nextInt(65_536) - 32_768)),
        maybe(random.nextLong()),
        maybe(random.nextFloat() * 1000),
        maybe(random.nextDouble() * 1e6),
        maybe(
            String.format(
                "%04d-%02d-%02d",
                1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28))),
        maybe(
            String.format(
                "%02d:%02d:%02d.%06d",
                random.nextInt(24),
                random.nextInt(60),
                random.nextInt(60),
                random.nextInt(1_000_000))),
        maybe(timestamp()),
        maybe(timestamp() + (random.nextBoolean() ? "+02:00" : "-05:30")),
        maybe(
            String.format(
                "%02d:%02d:%02d.%06d+03",
                random.nextInt(24),
                random.nextInt(60),
                random.nextInt(60),
                random.nextInt(1_000_000))),
        maybe(
            java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) id, (byte) (id >> 8)}).toString()),
        maybe("{\"k\": " + random.nextInt(100) + ", \"list\": [1, \"two\", null]}"),
        maybe("{\"theme\": \"dark\", \"size\": " + random.nextInt(20) + "}"),
        maybe("<cv><year>" + random.nextInt(2000) + "</year></cv>"),
        maybe(List.of("sad", "ok", "happy").get(random.nextInt(3))),
        maybe("{sql,\"with space\",NULL}"),
        maybe("{" + random.nextInt(10) + "," + random.nextInt(10) + "}"),
        maybe(HexFormat.of().formatHex(bytes(1 + random.nextInt(20)))),
        maybe(random.nextInt(400) + " days " + random.nextInt(24) + ":00:00"),
        maybe(notes())
      };
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
    employees.add(id);
  }

  private void updateEmployee(int id) throws SQLException {
    int kind = random.nextInt(4);
    if (kind == 0) {
      run(
          "UPDATE payroll SET salary = ?::numeric, active = ? WHERE employee_id = ?",
          maybe(new BigDecimal(random.nextInt(10_000_000)).movePointLeft(2).toPlainString()),
          maybe(random.nextBoolean()),
          id);
    } else if (kind == 1) {
      run("UPDATE payroll SET notes = ? WHERE employee_id = ?", maybe(notes()), id);
    } else if (kind == 2) {
      run(
          "UPDATE payroll SET updated = ?::timestamp, updated_tz = now(), first_name = ?"
              + " WHERE employee_id = ?",
          maybe(timestamp()),
          maybe("renamed" + random.nextInt(100)),
          id);
    } else {
      run(
          "UPDATE payroll SET levels = levels || 7, prefs = NULL, grade = ? WHERE employee_id = ?",
          maybe((short) random.nextInt(100)),
          id);
    }
  }

  private void lineStep(int dice) throws SQLException {
    if (lines.size() < 30 || dice < 35) {
      insertLine();
    } else if (dice < 75) {
      int[] line = pick(lines);
      run(
          "UPDATE \"Order Lines\" SET qty = ?, price = ?::numeric WHERE order_id = ? AND \"Line No\" = ?",
          maybe(random.nextInt(100)),
          maybe(new BigDecimal(random.nextInt(100_000)).movePointLeft(2).toPlainString()),
          line[0],
          line[1]);
    } else if (dice < 90) {
      int[] line = lines.remove(random.nextInt(lines.size()));
      run("DELETE FROM \"Order Lines\" WHERE order_id = ? AND \"Line No\" = ?", line[0], line[1]);
    } else {
      int[] line = lines.remove(random.nextInt(lines.size()));
      int[] moved = {line[0], line[1] + 1000};
      run(
          "UPDATE \"Order Lines\" SET \"Line No\" = ? WHERE order_id = ? AND \"Line No\" = ?",
          moved[1],
          line[0],
          line[1]);
      lines.add(moved);
    }
  }

  private void insertLine() throws SQLException {
    int[] line = {nextOrder++, 1 + random.nextInt(5)};
    run(
        "INSERT INTO \"Order Lines\" VALUES (?, ?, ?, ?, ?::numeric, ?::timestamptz)",
        line[0],
        line[1],
        maybe("item 'x' " + random.nextInt(100)),
        maybe(random.nextInt(50)),
        maybe(new BigDecimal(random.nextInt(100_000)).movePointLeft(2).toPlainString()),
        maybe(timestamp() + "Z"));
    lines.add(line);
  }

  private void run(String sql, Object... binds) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setObject(i + 1, binds[i]);
      }
      ps.executeUpdate();
    }
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private Object maybe(Object value) {
    return random.nextInt(10) == 0 ? null : value;
  }

  private String timestamp() {
    return String.format(
        "%04d-%02d-%02d %02d:%02d:%02d.%06d",
        1950 + random.nextInt(100),
        1 + random.nextInt(12),
        1 + random.nextInt(28),
        random.nextInt(24),
        random.nextInt(60),
        random.nextInt(60),
        random.nextInt(1_000_000));
  }

  /** Short notes, or over 8 kB stored out of line, so unchanged ones are not sent. */
  private String notes() {
    if (random.nextInt(3) > 0) {
      return "note " + random.nextInt(1000);
    }
    return HexFormat.of().formatHex(bytes(5000));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

package io.pgsnow.smt.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.smt.ChangeEvents;
import io.pgsnow.smt.ConcatFields;
import io.pgsnow.smt.LookupJoin;
import io.pgsnow.smt.LookupJoinConfig;
import io.pgsnow.smt.UnwrapChangeEvent;
import io.pgsnow.smt.payroll.PayrollScenario;
import io.pgsnow.smt.payroll.SeedPayrollJoin;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The jdbc lookup source against a real PostgreSQL server. */
class JdbcLookupIT {
  private static final String DB = "smt_jdbc_lookup";
  private static final String QUERY =
      "SELECT first_name, last_name, age, ssn, hourly_rate, gender, email FROM payroll"
          + " WHERE employee_id = ?";
  private static LocalPostgres pg;

  @BeforeAll
  static void database() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
            + " age int, ssn text, hourly_rate int, gender text, email text)");
  }

  private static Map<String, Object> props(String query, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put(LookupJoinConfig.SOURCE, "jdbc");
    props.put(LookupJoinConfig.JDBC_URL, pg.jdbcUrl(DB));
    props.put(LookupJoinConfig.JDBC_USER, LocalPostgres.SUPERUSER);
    props.put(LookupJoinConfig.JDBC_PASSWORD, LocalPostgres.PASSWORD);
    props.put(LookupJoinConfig.JDBC_QUERY, query);
    props.put(LookupJoinConfig.KEY_FIELDS, "employee_id");
    props.putAll(extra);
    return props;
  }

  private static LookupJoin<SourceRecord> join(String query, Map<String, Object> extra) {
    LookupJoin<SourceRecord> join = new LookupJoin.Value<>();
    join.configure(props(query, extra));
    return join;
  }

  private static SourceRecord bonus(int employeeId) {
    Map<String, Object> value = new HashMap<>();
    value.put("employee_id", employeeId);
    value.put("bonus", 5);
    return new SourceRecord(Map.of(), Map.of(), "bonus", null, null, null, null, value, 0L);
  }

  private static Object field(SourceRecord record, String name) {
    return record == null ? "<dropped>" : ((Map<?, ?>) record.value()).get(name);
  }

  @Test
  void cachesRowsAndMissesForTheirTtls() {
    pg.executeIn(DB, "INSERT INTO payroll VALUES (1, 'Ann', 'Lee', 30, 'x', 40, 'f', 'a@b')");
    AtomicLong nanos = new AtomicLong();
    LookupJoin<SourceRecord> join =
        new LookupJoin.Value<>() {
          @Override
          protected LookupSource openSource(LookupJoinConfig config) {
            return openJdbcLookup(config, nanos::get);
          }
        };
    join.configure(
        props(
            QUERY,
            Map.of(
                LookupJoinConfig.JDBC_CACHE_TTL_MS, "1500",
                LookupJoinConfig.JDBC_NEGATIVE_TTL_MS, "1500")));
    JdbcLookup source = (JdbcLookup) join.source();
    assertThat(field(join.apply(bonus(1)), "last_name")).isEqualTo("Lee");
    assertThat(join.apply(bonus(2))).isNull();
    pg.executeIn(
        DB,
        "UPDATE payroll SET last_name = 'Lee-Park' WHERE employee_id = 1",
        "INSERT INTO payroll VALUES (2, 'Bo', 'Kim', 40, 'y', 50, 'm', 'b@c')");
    // Within the TTLs both answers come from the cache, without a query.
    long queries = source.queries();
    assertThat(field(join.apply(bonus(1)), "last_name")).isEqualTo("Lee");
    assertThat(join.apply(bonus(2))).isNull();
    assertThat(source.queries()).isEqualTo(queries);
    nanos.addAndGet(Duration.ofMillis(1_499).toNanos());
    assertThat(field(join.apply(bonus(1)), "last_name")).isEqualTo("Lee");
    assertThat(source.queries()).isEqualTo(queries);
    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(field(join.apply(bonus(1)), "last_name")).isEqualTo("Lee-Park");
    assertThat(field(join.apply(bonus(2)), "first_name")).isEqualTo("Bo");
    assertThat(source.queries()).isEqualTo(queries + 2);
    join.close();
  }

  @Test
  void withoutNegativeCachingAMissIsAskedEveryTime() {
    LookupJoin<SourceRecord> join = join(QUERY, Map.of(LookupJoinConfig.JDBC_NEGATIVE_TTL_MS, "0"));
    assertThat(join.apply(bonus(42))).isNull();
    pg.executeIn(DB, "INSERT INTO payroll VALUES (42, 'New', 'Hire', 20, 'z', 10, 'f', 'n@h')");
    assertThat(field(join.apply(bonus(42)), "first_name")).isEqualTo("New");
    join.close();
  }

  @Test
  void aSlowQueryTimesOutIntoTheFailurePolicy() {
    pg.executeIn(
        DB,
        "INSERT INTO payroll VALUES (77, 'Slow', 'Row', 20, 'z', 10, 'f', 's@r')"
            + " ON CONFLICT DO NOTHING");
    String slow = "SELECT p.first_name FROM payroll p, pg_sleep(3) WHERE p.employee_id = ?";
    Map<String, Object> fast = Map.of(LookupJoinConfig.TIMEOUT_MS, "500");
    long start = System.nanoTime();
    LookupJoin<SourceRecord> failing = join(slow, fast);
    assertThatThrownBy(() -> failing.apply(bonus(77)))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("statement timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    failing.close();

    Map<String, Object> drop = new HashMap<>(fast);
    drop.put(LookupJoinConfig.FAILURE_POLICY, "drop");
    LookupJoin<SourceRecord> dropping = join(slow, drop);
    assertThat(dropping.apply(bonus(77))).isNull();
    dropping.close();

    Map<String, Object> keep = new HashMap<>(fast);
    keep.put(LookupJoinConfig.FAILURE_POLICY, "keep");
    LookupJoin<SourceRecord> keeping = join(slow, keep);
    SourceRecord kept = keeping.apply(bonus(77));
    assertThat(field(kept, "bonus")).isEqualTo(5);
    assertThat(field(kept, "first_name")).isNull();
    keeping.close();
  }

  @Test
  void anUnreachableDatabaseFailsWithinTheTimeout() {
    Map<String, Object> props =
        new HashMap<>(props(QUERY, Map.of(LookupJoinConfig.TIMEOUT_MS, "1000")));
    props.put(LookupJoinConfig.JDBC_URL, "jdbc:postgresql://10.255.255.1:5432/none");
    LookupJoin<SourceRecord> join = new LookupJoin.Value<>();
    join.configure(props);
    long start = System.nanoTime();
    assertThatThrownBy(() -> join.apply(bonus(1))).isInstanceOf(RetriableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    join.close();
  }

  /** The seed's payroll join with the jdbc source: the database is the table. */
  @Test
  void payrollJoinWithTheJdbcSourceGivesWhatTheSeedGives() {
    String db = pg.createDatabase("smt_jdbc_payroll");
    pg.executeIn(
        db,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
            + " age int, ssn text, hourly_rate int, gender text, email text)");
    PayrollScenario scenario = PayrollScenario.full("pg");
    UnwrapChangeEvent<SourceRecord> unwrap = new UnwrapChangeEvent.Value<>();
    unwrap.configure(Map.of());
    LookupJoin<SourceRecord> join = new LookupJoin.Value<>();
    Map<String, Object> props = props(QUERY, Map.of(LookupJoinConfig.JDBC_CACHE_SIZE, "0"));
    props.put(LookupJoinConfig.JDBC_URL, pg.jdbcUrl(db));
    join.configure(props);
    ConcatFields<SourceRecord> fullName = new ConcatFields.Value<>();
    fullName.configure(Map.of("field", "FULL_NAME", "parts", "first_name, ' ', last_name"));

    List<Map<String, Object>> output = new ArrayList<>();
    for (SourceRecord event : scenario.events()) {
      if (event.topic().equals(scenario.payrollTopic())) {
        applyToDatabase(db, event);
        continue;
      }
      SourceRecord out = unwrap.apply(event);
      out = out == null ? null : join.apply(out);
      out = out == null ? null : fullName.apply(out);
      if (out != null) {
        output.add(SeedPayrollJoin.project((Map<?, ?>) ChangeEvents.toMap(out.value())));
      }
    }
    assertThat(output).containsExactlyElementsOf(scenario.expected(false).output());
    join.close();
  }

  private static void applyToDatabase(String db, SourceRecord event) {
    if (event.value() == null) {
      return;
    }
    Struct envelope = (Struct) event.value();
    Struct after = envelope.getStruct("after");
    Struct before = envelope.getStruct("before");
    if (after == null) {
      pg.executeIn(db, "DELETE FROM payroll WHERE employee_id = " + before.getInt32("employee_id"));
      return;
    }
    pg.executeIn(
        db,
        String.format(
            "INSERT INTO payroll VALUES (%d, %s, %s, %d, '%s', %d, '%s', %s) ON CONFLICT"
                + " (employee_id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name ="
                + " EXCLUDED.last_name, age = EXCLUDED.age, hourly_rate = EXCLUDED.hourly_rate",
            after.getInt32("employee_id"),
            quoted(after.getString("first_name")),
            quoted(after.getString("last_name")),
            after.getInt32("age"),
            after.getString("ssn"),
            after.getInt32("hourly_rate"),
            after.getString("gender"),
            quoted(after.getString("email"))));
  }

  private static String quoted(String text) {
    return text == null ? "NULL" : "'" + text.replace("'", "''") + "'";
  }
}

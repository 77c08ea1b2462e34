package io.pgsnow.benchmarks;

import io.pgsnow.source.events.SourceInfo;
import io.pgsnow.testkit.PayrollSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The seed's payroll tables as Debezium PostgreSQL change events, built once per benchmark: the
 * payroll row (with two nested structs, so that flattening has work) in an envelope with the source
 * connector's (Debezium's) {@code source} block, and the bonus rows that are joined to it.
 */
public final class PayrollData {
  public static final String PREFIX = "pg";
  public static final String PAYROLL_TOPIC = PREFIX + ".public.payroll";
  public static final String BONUS_TOPIC = PREFIX + ".public.payroll_bonus";

  private static final String[] FIRST = {"Sheridan", "Alice", "Bob", "Chen", "Dana", "Emeka"};
  private static final String[] LAST = {"Lezemere", "Smith", "Jones", "Okafor", "Ng", "Garcia"};
  private static final String[] CITIES = {"Lisbon", "Oslo", "Lima", "Austin", "Pune", "Leeds"};

  public static final Schema ADDRESS =
      SchemaBuilder.struct()
          .name(PAYROLL_TOPIC + ".address")
          .optional()
          .field("street", Schema.OPTIONAL_STRING_SCHEMA)
          .field("city", Schema.OPTIONAL_STRING_SCHEMA)
          .field("postal_code", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  public static final Schema EMPLOYMENT =
      SchemaBuilder.struct()
          .name(PAYROLL_TOPIC + ".employment")
          .optional()
          .field("department", Schema.OPTIONAL_STRING_SCHEMA)
          .field("title", Schema.OPTIONAL_STRING_SCHEMA)
          .field("grade", Schema.OPTIONAL_INT32_SCHEMA)
          .build();

  public static final Schema PAYROLL_KEY =
      SchemaBuilder.struct()
          .name(PAYROLL_TOPIC + ".Key")
          .field("employee_id", Schema.INT32_SCHEMA)
          .build();

  public static final Schema PAYROLL_ROW =
      PayrollSchemas.payrollColumns(
              SchemaBuilder.struct().name(PAYROLL_TOPIC + ".Value").optional())
          .field("address", ADDRESS)
          .field("employment", EMPLOYMENT)
          .build();

  /** The flat payroll row of the join's table (what unwrapping the real topic gives). */
  public static final Schema PAYROLL_FLAT_ROW =
      PayrollSchemas.payrollColumns(
              SchemaBuilder.struct().name(PAYROLL_TOPIC + ".Value").optional())
          .build();

  public static final Schema BONUS_KEY =
      SchemaBuilder.struct()
          .name(BONUS_TOPIC + ".Key")
          .field("bonus_id", Schema.INT32_SCHEMA)
          .build();

  public static final Schema BONUS_ROW =
      PayrollSchemas.bonusColumns(SchemaBuilder.struct().name(BONUS_TOPIC + ".Value")).build();

  public static final Schema PAYROLL_ENVELOPE =
      SchemaBuilder.struct()
          .name(PAYROLL_TOPIC + ".Envelope")
          .version(2)
          .field("before", PAYROLL_ROW)
          .field("after", PAYROLL_ROW)
          .field("source", SourceInfo.SCHEMA)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
          .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private PayrollData() {}

  /** A payroll row with its nested address and employment. */
  public static Struct employee(int id) {
    String first = FIRST[id % FIRST.length];
    String last = LAST[(id / FIRST.length) % LAST.length];
    return new Struct(PAYROLL_ROW)
        .put("employee_id", id)
        .put("first_name", first)
        .put("last_name", last)
        .put("age", 20 + id % 45)
        .put("ssn", String.format(Locale.ROOT, "%03d-%02d-%04d", id % 900, id % 90, id % 9000))
        .put("hourly_rate", 15 + id % 60)
        .put("gender", id % 2 == 0 ? "female" : "male")
        .put("email", first.toLowerCase(Locale.ROOT) + id + "@mycompany.com")
        .put(
            "address",
            new Struct(ADDRESS)
                .put("street", (id % 300) + " Harbour Road")
                .put("city", CITIES[id % CITIES.length])
                .put("postal_code", String.format(Locale.ROOT, "%05d", id % 99_999)))
        .put(
            "employment",
            new Struct(EMPLOYMENT)
                .put("department", id % 3 == 0 ? "engineering" : "operations")
                .put("title", id % 5 == 0 ? "lead" : "associate")
                .put("grade", id % 7));
  }

  /** The flat payroll row the join's table holds. */
  public static Struct flatEmployee(int id) {
    Struct nested = employee(id);
    Struct flat = new Struct(PAYROLL_FLAT_ROW);
    for (org.apache.kafka.connect.data.Field field : PAYROLL_FLAT_ROW.fields()) {
      flat.put(field, nested.get(field.name()));
    }
    return flat;
  }

  private static Struct source(long lsn, long txId) {
    long tsMs = 1_700_000_000_000L + lsn / 1000;
    return new Struct(SourceInfo.SCHEMA)
        .put("version", "3.3.1.Final")
        .put("connector", "postgresql")
        .put("name", PREFIX)
        .put("ts_ms", tsMs)
        .put("snapshot", "false")
        .put("db", "payroll")
        .put("sequence", "[\"" + (lsn - 64) + "\",\"" + lsn + "\"]")
        .put("ts_us", tsMs * 1000)
        .put("ts_ns", tsMs * 1_000_000)
        .put("schema", "public")
        .put("table", "payroll")
        .put("txId", txId)
        .put("lsn", lsn)
        .put("xmin", null);
  }

  /**
   * Change events of the payroll table: alternately an insert and an update (with its before image,
   * as under REPLICA IDENTITY FULL), each of a different employee.
   */
  public static List<SourceRecord> payrollChanges(int count, long seed) {
    Random random = new Random(seed);
    List<SourceRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int id = 1 + random.nextInt(100_000);
      long lsn = 0x1_0000_0000L + 256L * i;
      boolean update = i % 2 == 1;
      Struct after = employee(id);
      Struct before = update ? employee(id).put("hourly_rate", 14) : null;
      Struct envelope =
          new Struct(PAYROLL_ENVELOPE)
              .put("before", before)
              .put("after", after)
              .put("source", source(lsn, 1000L + i))
              .put("op", update ? "u" : "c")
              .put("ts_ms", 1_700_000_000_000L + i)
              .put("ts_us", (1_700_000_000_000L + i) * 1000)
              .put("ts_ns", (1_700_000_000_000L + i) * 1_000_000);
      records.add(
          record(
              PAYROLL_TOPIC,
              new Struct(PAYROLL_KEY).put("employee_id", id),
              PAYROLL_ENVELOPE,
              envelope,
              1_700_000_000_000L + i));
    }
    return records;
  }

  /** The table's rows as records of the payroll topic (already unwrapped), ids 1..rows. */
  public static List<SourceRecord> payrollTable(int rows) {
    List<SourceRecord> records = new ArrayList<>(rows);
    for (int id = 1; id <= rows; id++) {
      records.add(
          record(
              PAYROLL_TOPIC,
              new Struct(PAYROLL_KEY).put("employee_id", id),
              PAYROLL_FLAT_ROW,
              flatEmployee(id),
              0L));
    }
    return records;
  }

  /** Unwrapped bonus rows, each of an employee drawn uniformly from 1..employees. */
  public static List<SourceRecord> bonuses(int count, int employees, long seed) {
    Random random = new Random(seed);
    List<SourceRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int bonusId = 1 + i;
      Struct bonus =
          new Struct(BONUS_ROW)
              .put("bonus_id", bonusId)
              .put("employee_id", 1 + random.nextInt(employees))
              .put("bonus", 5 * (1 + random.nextInt(20)))
              .put("ts", 1_640_317_836_271L + i);
      records.add(
          record(
              BONUS_TOPIC,
              new Struct(BONUS_KEY).put("bonus_id", bonusId),
              BONUS_ROW,
              bonus,
              1_640_317_836_271L + i));
    }
    return records;
  }

  /** A record of partition 0 without source partition or offset, keyed by a struct. */
  private static SourceRecord record(
      String topic, Struct key, Schema valueSchema, Struct value, long timestamp) {
    return new SourceRecord(null, null, topic, 0, key.schema(), key, valueSchema, value, timestamp);
  }
}

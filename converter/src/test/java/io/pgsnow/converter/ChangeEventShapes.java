package io.pgsnow.converter;

import io.pgsnow.source.events.SourceInfo;
import io.pgsnow.source.events.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The records pgsnow's source writes for the seed's payroll tables: keys, and Debezium-style
 * envelopes (before, after, the {@code source} block with its defaulted {@code snapshot} enum, the
 * transaction block, op and timestamps), for inserts, updates, deletes and snapshot reads.
 */
final class ChangeEventShapes {
  /** The source connector's own blocks, so that these events change when its schemas do. */
  static final Schema SOURCE = SourceInfo.SCHEMA;

  static final Schema TRANSACTION = TableSchema.TRANSACTION_BLOCK;

  static final Schema PAYROLL_KEY =
      SchemaBuilder.struct()
          .name("pg.public.payroll.Key")
          .field("employee_id", Schema.INT32_SCHEMA)
          .build();

  static final Schema PAYROLL =
      SchemaBuilder.struct()
          .name("pg.public.payroll.Value")
          .optional()
          .field("employee_id", Schema.INT32_SCHEMA)
          .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("age", Schema.OPTIONAL_INT32_SCHEMA)
          .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
          .field("hourly_rate", Decimal.builder(2).optional().build())
          .field("gender", Schema.OPTIONAL_STRING_SCHEMA)
          .field("email", Schema.OPTIONAL_STRING_SCHEMA)
          .field("updated_at", Timestamp.builder().optional().build())
          .build();

  static final Schema PAYROLL_ENVELOPE = envelope("pg.public.payroll.Envelope", PAYROLL);

  private static final String[][] PEOPLE = {
    {"Alice", "Smith", "female"},
    {"Bob", "Jones", "male"},
    {"Chloé", "O'Brien \"CJ\"", "female"},
    {"Đorđe", "Müller-Łukasz", "male"},
    {null, null, null},
  };

  private ChangeEventShapes() {}

  static Schema envelope(String name, Schema row) {
    return SchemaBuilder.struct()
        .name(name)
        .version(TableSchema.ENVELOPE_VERSION)
        .field("before", row)
        .field("after", row)
        .field("source", SOURCE)
        .field("transaction", TRANSACTION)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
  }

  /** Row {@code i} of the payroll table (the fifth of each five has only nulls besides its key). */
  static Struct employee(int i) {
    String[] person = PEOPLE[i % PEOPLE.length];
    Struct row = new Struct(PAYROLL).put("employee_id", 1000 + i);
    if (person[0] != null) {
      row.put("first_name", person[0])
          .put("last_name", person[1])
          .put("age", 20 + i % 45)
          .put("ssn", String.format(Locale.ROOT, "%03d-%02d-%04d", i % 1000, i % 100, i))
          .put("hourly_rate", BigDecimal.valueOf(1500 + i * 7L, 2))
          .put("gender", person[2])
          .put("email", person[0].toLowerCase(Locale.ROOT) + i + "@mycompany.com")
          .put("updated_at", new java.util.Date(1_640_317_836_271L + i));
    }
    return row;
  }

  static Struct source(int i, String snapshot) {
    Struct source =
        new Struct(SOURCE)
            .put("version", "0.1.0")
            .put("connector", "postgresql")
            .put("name", "pg")
            .put("ts_ms", 1_640_317_836_271L + i)
            .put("db", "payroll")
            .put("sequence", "[null,\"" + (22_000_000L + i) + "\"]")
            .put("ts_us", 1_640_317_836_271_000L + i)
            .put("ts_ns", 1_640_317_836_271_000_000L + i)
            .put("schema", "public")
            .put("table", "payroll")
            .put("txId", 700L + i)
            .put("lsn", 22_000_000L + i)
            .put("commit_lsn", 22_000_000L + i)
            .put("event_index", (long) i);
    if (snapshot != null) {
      source.put("snapshot", snapshot);
    }
    return source;
  }

  /** A change event of the payroll table: op c, u, d or r (a snapshot read). */
  static Struct payrollEvent(int i, String op) {
    Struct event =
        new Struct(PAYROLL_ENVELOPE)
            .put("source", source(i, "r".equals(op) ? "true" : null))
            .put("op", op)
            .put("ts_ms", 1_640_317_836_300L + i);
    if (!"c".equals(op) && !"r".equals(op)) {
      event.put("before", employee(i));
    }
    if (!"d".equals(op)) {
      event.put("after", employee(i + 1));
    }
    if (!"r".equals(op)) {
      event.put(
          "transaction",
          new Struct(TRANSACTION)
              .put("id", (700 + i) + ":" + (22_000_000L + i))
              .put("total_order", (long) i)
              .put("data_collection_order", (long) i));
    }
    return event;
  }

  static List<TypeTable.Case> cases() {
    List<TypeTable.Case> cases = new ArrayList<>();
    String[] ops = {"c", "u", "d", "r"};
    for (int i = 0; i < 10; i++) {
      String op = ops[i % ops.length];
      cases.add(
          new TypeTable.Case("payroll " + op + " " + i, PAYROLL_ENVELOPE, payrollEvent(i, op)));
      cases.add(
          new TypeTable.Case(
              "payroll key " + i,
              PAYROLL_KEY,
              new Struct(PAYROLL_KEY).put("employee_id", 1000 + i)));
    }
    return cases;
  }
}

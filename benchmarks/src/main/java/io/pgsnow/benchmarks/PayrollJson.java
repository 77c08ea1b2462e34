package io.pgsnow.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The seed's {@code topic_payroll} records as JSON bytes, as the Postgres CDC source with {@code
 * value.converter.schemas.enable=false} and an unwrapped row writes them (the seed's
 * streaming-demo-README: employee_id, first_name, last_name, age, ssn, hourly_rate, gender, email).
 */
final class PayrollJson {
  private static final String[] FIRST = {"Sheridan", "Alice", "Bob", "Chen", "Dana", "Emeka"};
  private static final String[] LAST = {"Lezemere", "Smith", "Jones", "Okafor", "Ng", "Garcia"};

  private PayrollJson() {}

  /** The record key, {@code {"employee_id":id}}. */
  static byte[] key(long id) {
    return ("{\"employee_id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** The record value: one employee row of the seed's payroll table. */
  static byte[] value(long id) {
    int i = (int) (id % FIRST.length);
    String json =
        "{\"employee_id\":"
            + id
            + ",\"first_name\":\""
            + FIRST[i]
            + "\",\"last_name\":\""
            + LAST[(int) (id / FIRST.length % LAST.length)]
            + "\",\"age\":"
            + (20 + id % 45)
            + ",\"ssn\":\""
            + String.format(Locale.ROOT, "%03d-%02d-%04d", 100 + id % 900, id % 100, id % 10_000)
            + "\",\"hourly_rate\":"
            + (15 + id % 40)
            + ",\"gender\":\""
            + (id % 2 == 0 ? "male" : "female")
            + "\",\"email\":\"jpbi"
            + id
            + "@mycompany.com\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }
}

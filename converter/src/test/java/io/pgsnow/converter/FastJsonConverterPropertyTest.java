package io.pgsnow.converter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random schemas and records (a fixed seed, so a failure repeats): FastJsonConverter writes what
 * JsonConverter writes, and writes nearly all of them without JsonConverter's help.
 */
class FastJsonConverterPropertyTest {
  private static final long SEED = 20_261_203L;
  private static final int SCHEMAS = 150;
  private static final int RECORDS_PER_SCHEMA = 5;

  static List<Map<String, String>> configurations() {
    return Converters.configurations();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void randomRecordsGiveTheSameBytes(Map<String, String> config) {
    RandomRecords random = new RandomRecords(SEED);
    Converters converters = new Converters(config, false);
    List<String> differences = new ArrayList<>();
    int written = 0;
    for (int s = 0; s < SCHEMAS; s++) {
      Schema schema = random.schema(3);
      for (int r = 0; r < RECORDS_PER_SCHEMA; r++) {
        Object value = random.value(schema, 0, true);
        String expected = converters.referenceOutcome(schema, value);
        String actual = converters.fastOutcome(schema, value);
        if (!expected.equals(actual)) {
          differences.add(schema + " " + value + "\n  " + expected + "\n  " + actual);
        }
        if (expected.startsWith("bytes")) {
          written++;
        }
      }
    }
    assertThat(differences).as("records written differently").isEmpty();
    // Most random records are valid (the others have a decimal of another scale, a required null).
    assertThat(written).isGreaterThan(SCHEMAS * RECORDS_PER_SCHEMA / 2);
    assertThat(converters.fast.slowPathRecords())
        .as("records left to JsonConverter")
        .isLessThanOrEqualTo(SCHEMAS * RECORDS_PER_SCHEMA - written);
  }
}

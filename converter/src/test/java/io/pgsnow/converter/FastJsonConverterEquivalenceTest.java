package io.pgsnow.converter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FastJsonConverter writes the bytes JsonConverter writes, for every case of the type table and the
 * payroll change events, in every configuration; one instance converts all the cases in turn, so a
 * record after a failed one is checked too. The fast path must have written each case itself,
 * except the few it leaves to JsonConverter on purpose and those JsonConverter rejects.
 */
class FastJsonConverterEquivalenceTest {
  /** Map keys whose JSON text JsonConverter derives in ways the fast path does not repeat. */
  private static final Set<String> LEFT_TO_JSON_CONVERTER =
      Set.of(
          "map with a null key",
          "map with a null key and a key default",
          "map with equal CharSequence keys");

  static List<Map<String, String>> configurations() {
    return Converters.configurations();
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void sameBytesAsJsonConverterForTheTypeTable(Map<String, String> config) {
    for (boolean isKey : new boolean[] {false, true}) {
      Converters converters = new Converters(config, isKey);
      List<String> differences = new ArrayList<>();
      List<String> slow = new ArrayList<>();
      int rejected = 0;
      for (TypeTable.Case c : TypeTable.cases()) {
        long slowBefore = converters.fast.slowPathRecords();
        String expected = converters.referenceOutcome(c.schema(), c.value());
        String actual = converters.fastOutcome(c.schema(), c.value());
        if (!expected.equals(actual)) {
          differences.add(
              c.name() + ":\n  JsonConverter: " + expected + "\n  fast:          " + actual);
        }
        boolean wentSlow = converters.fast.slowPathRecords() > slowBefore;
        if (expected.startsWith("threw")) {
          rejected++;
        } else if (wentSlow && !LEFT_TO_JSON_CONVERTER.contains(c.name())) {
          slow.add(c.name());
        }
      }
      assertThat(differences).as("records written differently").isEmpty();
      assertThat(slow).as("valid records the fast path left to JsonConverter").isEmpty();
      // The table has cases JsonConverter rejects: the fast path must reject them too (above).
      assertThat(rejected).isGreaterThan(5);
    }
  }
}

package io.pgsnow.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** The converter's keys: JsonConverter's, validated, and nothing else accepted. */
class FastJsonConverterConfigTest {
  @Test
  void anUnknownKeyIsRejectedByName() {
    FastJsonConverter converter = new FastJsonConverter();
    assertThatThrownBy(() -> converter.configure(Map.of("schemas.enabled", "false"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schemas.enabled");
  }

  @Test
  void aBadDecimalFormatIsRejectedByName() {
    FastJsonConverter converter = new FastJsonConverter();
    assertThatThrownBy(() -> converter.configure(Map.of("decimal.format", "PLAIN"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("decimal.format");
  }

  @Test
  void aNegativeCacheSizeIsRejectedByName() {
    FastJsonConverter converter = new FastJsonConverter();
    assertThatThrownBy(() -> converter.configure(Map.of("schemas.cache.size", "-1"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schemas.cache.size");
  }

  @Test
  void aHeaderConverterWithoutSchemasWritesWhatJsonConverterWrites() {
    Map<String, String> config = Map.of("converter.type", "header", "schemas.enable", "false");
    FastJsonConverter fast = new FastJsonConverter();
    fast.configure(config);
    JsonConverter reference = new JsonConverter();
    reference.configure(config);
    byte[] bytes = fast.fromConnectHeader("t", "h", Schema.STRING_SCHEMA, "value \"quoted\"");
    assertThat(bytes)
        .isEqualTo(reference.fromConnectHeader("t", "h", Schema.STRING_SCHEMA, "value \"quoted\""));
    assertThat(fast.toConnectHeader("t", "h", bytes).value()).isEqualTo("value \"quoted\"");
    assertThat(fast.slowPathRecords()).isZero();
  }

  @Test
  void readsBackWhatItWrites() {
    FastJsonConverter fast = new FastJsonConverter();
    fast.configure(Map.of("decimal.format", "NUMERIC"), false);
    Struct event = ChangeEventShapes.payrollEvent(3, "u");
    SchemaAndValue read =
        fast.toConnectData(
            "t", fast.fromConnectData("t", ChangeEventShapes.PAYROLL_ENVELOPE, event));
    assertThat(((Struct) read.value()).getStruct("after").getString("email"))
        .isEqualTo(event.getStruct("after").getString("email"));
    assertThat(fast.version()).isNotBlank();
  }

  @Test
  void withoutASchemaCacheTheBytesAreTheSame() {
    Converters converters = new Converters(Map.of("schemas.cache.size", "0"), false);
    for (int i = 0; i < 3; i++) {
      Struct event = ChangeEventShapes.payrollEvent(i, "u");
      assertThat(converters.fastOutcome(ChangeEventShapes.PAYROLL_ENVELOPE, event))
          .startsWith("bytes {\"schema\":")
          .isEqualTo(converters.referenceOutcome(ChangeEventShapes.PAYROLL_ENVELOPE, event));
    }
    assertThat(converters.fast.slowPathRecords()).isZero();
  }

  @Test
  void aTombstoneHasNoBytes() {
    FastJsonConverter fast = new FastJsonConverter();
    fast.configure(Map.of(), false);
    assertThat(fast.fromConnectData("t", null, null)).isNull();
    assertThat(fast.toConnectData("t", null)).isEqualTo(SchemaAndValue.NULL);
  }
}

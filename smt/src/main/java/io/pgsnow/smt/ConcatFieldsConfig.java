package io.pgsnow.smt;

import io.pgsnow.common.config.ParsingValidator;
import io.pgsnow.smt.ConcatTemplate.NullHandling;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Configuration of {@link ConcatFields}. */
public final class ConcatFieldsConfig extends AbstractConfig {
  public static final String FIELD = "field";
  public static final String PARTS = "parts";
  public static final String NULL_HANDLING = "null.handling";

  private static final String GROUP = "Concat";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              FIELD,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Name of the computed (optional string) field. It is appended to the record, or"
                  + " replaces a field of that name in place.",
              GROUP,
              1,
              Width.MEDIUM,
              "Field")
          .define(
              PARTS,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ParsingValidator("fields and 'literals', comma-separated", ConcatTemplate::parse),
              Importance.HIGH,
              "The parts to join, comma-separated: field paths (dots reach into nested fields)"
                  + " and single-quoted literals, e.g. \"first_name, ' ', last_name\". A quote in a"
                  + " literal is doubled. Numbers, decimals and dates are written as plain text.",
              GROUP,
              2,
              Width.LONG,
              "Parts")
          .define(
              NULL_HANDLING,
              Type.STRING,
              ConfigChoice.valueOf(NullHandling.SKIP_NULLS),
              ConfigChoice.validator(NullHandling.class),
              Importance.MEDIUM,
              "What a null field does. 'skip-nulls': it adds nothing and the literals just before"
                  + " it go with it, so separators stand only between values (null when all"
                  + " fields are null). 'null-if-any-null': the result is null. 'empty-string':"
                  + " it counts as ''. No policy writes the text 'null'.",
              GROUP,
              3,
              Width.SHORT,
              "Null handling");

  public ConcatFieldsConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  public String field() {
    return getString(FIELD).trim();
  }

  public ConcatTemplate template() {
    return ConcatTemplate.parse(getString(PARTS));
  }

  public NullHandling nullHandling() {
    return ConfigChoice.parse(NullHandling.class, NULL_HANDLING, getString(NULL_HANDLING));
  }
}

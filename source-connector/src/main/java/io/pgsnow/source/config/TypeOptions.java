package io.pgsnow.source.config;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Debezium's value representation options, with Debezium's defaults: how temporal, interval,
 * binary, hstore and money columns are encoded. {@code decimal.handling.mode} stays in the main
 * config.
 */
public record TypeOptions(
    TimePrecision timePrecision,
    IntervalHandling intervalHandling,
    BinaryHandling binaryHandling,
    HstoreHandling hstoreHandling,
    int moneyFractionDigits,
    String toastPlaceholder,
    boolean toastReselect) {

  public static final String TIME_PRECISION_MODE = "time.precision.mode";
  public static final String INTERVAL_HANDLING_MODE = "interval.handling.mode";
  public static final String BINARY_HANDLING_MODE = "binary.handling.mode";
  public static final String HSTORE_HANDLING_MODE = "hstore.handling.mode";
  public static final String MONEY_FRACTION_DIGITS = "money.fraction.digits";
  public static final String TOAST_HANDLING_MODE = "toast.handling.mode";
  public static final String UNAVAILABLE_VALUE_PLACEHOLDER = "unavailable.value.placeholder";

  private static final String GROUP = "Types";

  private static final String TOAST_DOC =
      "What a change event holds for an unchanged TOASTed value that PostgreSQL did not send"
          + " (an update that leaves a large value alone, on a table without REPLICA IDENTITY"
          + " FULL). null: null in the field. placeholder: Debezium's behaviour, the"
          + " unavailable.value.placeholder in the column's type (the string, its UTF-8 bytes for"
          + " bytea, an array of it for arrays; null for other types). reselect: the current"
          + " value is read from the table by the row's replica-identity key (as Debezium's"
          + " reselect post-processor does), for up to 256 rows per query, before the"
          + " transaction's events are handed to Kafka Connect; header"
          + " pgsnow.reselected.toast.columns names the columns read so. The value read is the"
          + " one committed when it is read: the change's own value or a later one (whose own"
          + " change event follows); a row that no longer exists under its key keeps null. In"
          + " every mode the header pgsnow.unchanged.toast.columns names the columns still"
          + " without their value, so consumers can tell the value from a real one.";

  /** Debezium's defaults. */
  public static final TypeOptions DEFAULTS =
      new TypeOptions(
          TimePrecision.ADAPTIVE,
          IntervalHandling.NUMERIC,
          BinaryHandling.BYTES,
          HstoreHandling.JSON,
          2,
          null,
          false);

  /** {@code time.precision.mode}. */
  public enum TimePrecision {
    ADAPTIVE,
    ADAPTIVE_TIME_MICROSECONDS,
    CONNECT
  }

  /** {@code interval.handling.mode}. */
  public enum IntervalHandling {
    NUMERIC,
    STRING
  }

  /** {@code binary.handling.mode}. */
  public enum BinaryHandling {
    BYTES,
    BASE64,
    BASE64_URL_SAFE,
    HEX
  }

  /** {@code hstore.handling.mode}. */
  public enum HstoreHandling {
    JSON,
    MAP
  }

  /** Adds the keys to {@code def}. */
  public static ConfigDef define(ConfigDef def) {
    int order = 0;
    def.define(
        TIME_PRECISION_MODE,
        Type.STRING,
        "adaptive",
        ConfigDef.CaseInsensitiveValidString.in(
            "adaptive", "adaptive_time_microseconds", "connect"),
        Importance.MEDIUM,
        "adaptive: time and timestamp columns of precision 0-3 as io.debezium.time.Time (int32"
            + " ms) / Timestamp (int64 ms), 4-6 as MicroTime / MicroTimestamp (int64 µs); date as"
            + " io.debezium.time.Date (days). adaptive_time_microseconds: the same, but time"
            + " always as MicroTime. connect: Kafka Connect's Date, Time and Timestamp logical"
            + " types (millisecond precision). timestamptz and timetz are ISO-8601 strings"
            + " (ZonedTimestamp, ZonedTime) in every mode.",
        GROUP,
        ++order,
        Width.SHORT,
        "Time precision mode");
    def.define(
        INTERVAL_HANDLING_MODE,
        Type.STRING,
        "numeric",
        ConfigDef.CaseInsensitiveValidString.in("numeric", "string"),
        Importance.LOW,
        "numeric: interval as io.debezium.time.MicroDuration, int64 microseconds counting a"
            + " month as 30.4375 days (as Debezium). string: as io.debezium.time.Interval, an"
            + " ISO-8601 duration such as P1Y2M3DT4H5M6.78S. Independent of the server's"
            + " IntervalStyle.",
        GROUP,
        ++order,
        Width.SHORT,
        "Interval handling mode");
    def.define(
        BINARY_HANDLING_MODE,
        Type.STRING,
        "bytes",
        ConfigDef.CaseInsensitiveValidString.in("bytes", "base64", "base64-url-safe", "hex"),
        Importance.LOW,
        "bytea as bytes, or as a string in base64, base64-url-safe or hex.",
        GROUP,
        ++order,
        Width.SHORT,
        "Binary handling mode");
    def.define(
        HSTORE_HANDLING_MODE,
        Type.STRING,
        "json",
        ConfigDef.CaseInsensitiveValidString.in("json", "map"),
        Importance.LOW,
        "json: hstore as an io.debezium.data.Json string ({\"key\":\"value\"}). map: as a"
            + " map of string to optional string.",
        GROUP,
        ++order,
        Width.SHORT,
        "hstore handling mode");
    def.define(
        MONEY_FRACTION_DIGITS,
        Type.SHORT,
        (short) 2,
        ConfigDef.Range.between(0, 30),
        Importance.LOW,
        "The scale of the Decimal that money columns become (in precise decimal.handling.mode)."
            + " Values are read independently of the server's lc_monetary.",
        GROUP,
        ++order,
        Width.SHORT,
        "Money fraction digits");
    def.define(
        TOAST_HANDLING_MODE,
        Type.STRING,
        "null",
        ConfigDef.CaseInsensitiveValidString.in("null", "placeholder", "reselect"),
        Importance.MEDIUM,
        TOAST_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "TOAST handling mode");
    def.define(
        UNAVAILABLE_VALUE_PLACEHOLDER,
        Type.STRING,
        "__debezium_unavailable_value",
        Importance.LOW,
        "The placeholder of toast.handling.mode=placeholder (Debezium's default).",
        GROUP,
        ++order,
        Width.MEDIUM,
        "Unavailable value placeholder");
    return def;
  }

  /** The options of a parsed config. */
  public static TypeOptions of(AbstractConfig config) {
    return new TypeOptions(
        TimePrecision.valueOf(upper(config.getString(TIME_PRECISION_MODE))),
        IntervalHandling.valueOf(upper(config.getString(INTERVAL_HANDLING_MODE))),
        BinaryHandling.valueOf(upper(config.getString(BINARY_HANDLING_MODE)).replace('-', '_')),
        HstoreHandling.valueOf(upper(config.getString(HSTORE_HANDLING_MODE))),
        config.getShort(MONEY_FRACTION_DIGITS),
        "placeholder".equalsIgnoreCase(config.getString(TOAST_HANDLING_MODE))
            ? config.getString(UNAVAILABLE_VALUE_PLACEHOLDER)
            : null,
        "reselect".equalsIgnoreCase(config.getString(TOAST_HANDLING_MODE)));
  }

  /** The options of raw properties, for tests. */
  public static TypeOptions of(Map<String, String> props) {
    return of(new AbstractConfig(define(new ConfigDef()), props, false));
  }

  private static String upper(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}

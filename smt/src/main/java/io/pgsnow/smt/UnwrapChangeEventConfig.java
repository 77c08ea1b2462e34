package io.pgsnow.smt;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Configuration of {@link UnwrapChangeEvent}; key names follow Debezium's ExtractNewRecordState.
 */
public final class UnwrapChangeEventConfig extends AbstractConfig {
  public static final String DELETE_HANDLING = "delete.tombstone.handling.mode";
  public static final String ADD_FIELDS = "add.fields";
  public static final String ADD_FIELDS_PREFIX = "add.fields.prefix";
  public static final String ADD_HEADERS = "add.headers";
  public static final String ADD_HEADERS_PREFIX = "add.headers.prefix";
  public static final String DROP_FIELDS_HEADER = "drop.fields.header.name";

  /** The field that the rewrite modes add, with "true" on deletes and "false" otherwise. */
  public static final String DELETED_FIELD = "__deleted";

  private static final String GROUP = "Unwrap";

  /** What becomes of delete events and of the tombstones that follow them. */
  public enum DeleteHandling {
    /** Delete events and tombstones are removed. */
    DROP,
    /** A delete event becomes a tombstone; tombstones pass. */
    TOMBSTONE,
    /** A delete event becomes its {@code before} row with {@code __deleted=true}; tombstones go. */
    REWRITE,
    /** As {@code rewrite}, and tombstones pass. */
    REWRITE_WITH_TOMBSTONE;

    boolean keepsTombstones() {
      return this == TOMBSTONE || this == REWRITE_WITH_TOMBSTONE;
    }

    boolean rewrites() {
      return this == REWRITE || this == REWRITE_WITH_TOMBSTONE;
    }
  }

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              DELETE_HANDLING,
              Type.STRING,
              ConfigChoice.valueOf(DeleteHandling.TOMBSTONE),
              ConfigChoice.validator(DeleteHandling.class),
              Importance.HIGH,
              "What becomes of delete events (op=d) and of the tombstones after them. 'drop': both"
                  + " are removed. 'tombstone': a delete becomes a tombstone (null value) and"
                  + " tombstones pass. 'rewrite': a delete becomes its 'before' row with '"
                  + DELETED_FIELD
                  + "'=\"true\" (other rows get \"false\") and tombstones are removed."
                  + " 'rewrite-with-tombstone': as 'rewrite', and tombstones pass.",
              GROUP,
              1,
              Width.MEDIUM,
              "Delete handling")
          .define(
              ADD_FIELDS,
              Type.LIST,
              List.of(),
              Importance.MEDIUM,
              "Envelope fields to add to the row, e.g. 'op,table,lsn,source.ts_ms'. A name with a"
                  + " dot is 'struct.field'; a bare name is a top-level envelope field (op, ts_ms)"
                  + " when there is one, else a field of 'source'. Each is added as an optional"
                  + " field named prefix + name with dots replaced by underscores"
                  + " ('__source_ts_ms'). Names absent from an envelope are skipped.",
              GROUP,
              2,
              Width.LONG,
              "Add fields")
          .define(
              ADD_FIELDS_PREFIX,
              Type.STRING,
              "__",
              Importance.LOW,
              "Prefix of the names of the fields added by '" + ADD_FIELDS + "'.",
              GROUP,
              3,
              Width.SHORT,
              "Add fields prefix")
          .define(
              ADD_HEADERS,
              Type.LIST,
              List.of(),
              Importance.MEDIUM,
              "Envelope fields to add as record headers, named as for '"
                  + ADD_FIELDS
                  + "' with the prefix of '"
                  + ADD_HEADERS_PREFIX
                  + "'.",
              GROUP,
              4,
              Width.LONG,
              "Add headers")
          .define(
              ADD_HEADERS_PREFIX,
              Type.STRING,
              "__",
              Importance.LOW,
              "Prefix of the names of the headers added by '" + ADD_HEADERS + "'.",
              GROUP,
              5,
              Width.SHORT,
              "Add headers prefix")
          .define(
              DROP_FIELDS_HEADER,
              Type.STRING,
              "",
              Importance.LOW,
              "Name of a record header that lists fields to remove from the unwrapped row (a list"
                  + " of strings, or one comma-separated string). Empty: no header is read.",
              GROUP,
              6,
              Width.MEDIUM,
              "Drop fields header");

  public UnwrapChangeEventConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  public DeleteHandling deleteHandling() {
    return ConfigChoice.parse(DeleteHandling.class, DELETE_HANDLING, getString(DELETE_HANDLING));
  }

  public List<EnvelopeField> addFields() {
    return getList(ADD_FIELDS).stream()
        .map(name -> EnvelopeField.parse(name, getString(ADD_FIELDS_PREFIX)))
        .toList();
  }

  public List<EnvelopeField> addHeaders() {
    return getList(ADD_HEADERS).stream()
        .map(name -> EnvelopeField.parse(name, getString(ADD_HEADERS_PREFIX)))
        .toList();
  }

  public java.util.Optional<String> dropFieldsHeader() {
    String name = getString(DROP_FIELDS_HEADER).trim();
    return name.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(name);
  }
}

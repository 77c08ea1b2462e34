package io.pgsnow.source.events;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Stops a record too large for Kafka before it reaches the producer, so the task fails with a
 * message that names the table, the key, the size and the settings to raise, rather than with the
 * producer's bare {@code RecordTooLargeException}.
 *
 * <p>The size counted is a lower bound of what any converter writes: the characters of its strings
 * and the bytes of its binary values, in the key, the value and the headers; numbers, field names
 * and schemas count nothing. So a record this check stops would surely be refused by a producer
 * whose {@code max.request.size} is the limit, and a record it lets through may still be refused
 * when it is close to the limit (the producer's own error then fails the task).
 *
 * <p>Nothing is skipped: the records before the large one are handed over, the task then fails, and
 * as their offsets are the last committed, it resumes from the large record once restarted.
 *
 * <p>The size is measured where the record is built ({@link #measure}, on the stream reader and the
 * snapshot reader threads), not in {@code poll()}: the task thread converts and sends every record
 * and is the bottleneck of a snapshot, so it only looks up the rare record found too large.
 */
public final class RecordSizeLimit {
  private static final int MAX_KEY_TEXT = 200;

  private final int limitBytes;
  private final String limitSource;
  private final Map<SourceRecord, ConnectException> tooLarge =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private volatile boolean anyTooLarge;
  private ConnectException pending;

  /**
   * @param limitBytes the largest size allowed, 0 for no check
   * @param limitSource the setting the limit comes from, for the message
   */
  public RecordSizeLimit(int limitBytes, String limitSource) {
    this.limitBytes = limitBytes;
    this.limitSource = limitSource;
  }

  /**
   * Measures a record before it is queued, on the thread that built it; thread-safe. A record over
   * the limit is still queued, so that {@link #admit} hands over every record queued before it.
   */
  public void measure(SourceRecord record) {
    if (limitBytes <= 0) {
      return;
    }
    long size = lowerBound(record);
    if (size > limitBytes) {
      tooLarge.put(record, new ConnectException(message(record, size)));
      anyTooLarge = true;
    }
  }

  /**
   * The records of {@code batch} up to the first one {@link #measure} found over the limit; that
   * one fails the task, now when it comes first, otherwise at the next call.
   */
  public List<SourceRecord> admit(List<SourceRecord> batch) {
    throwIfExceeded();
    if (!anyTooLarge) {
      return batch;
    }
    for (int i = 0; i < batch.size(); i++) {
      ConnectException failure = tooLarge.get(batch.get(i));
      if (failure != null) {
        pending = failure;
        if (i == 0) {
          throwIfExceeded();
        }
        return new ArrayList<>(batch.subList(0, i));
      }
    }
    return batch;
  }

  /** Fails the task if a record over the limit was found. */
  public void throwIfExceeded() {
    if (pending != null) {
      throw pending;
    }
  }

  /** The bytes any converter writes at least for the record's key, value and headers. */
  public static long lowerBound(SourceRecord record) {
    long size = lowerBound(record.key()) + lowerBound(record.value());
    for (Header header : record.headers()) {
      size += header.key().length() + lowerBound(header.value());
    }
    return size;
  }

  static long lowerBound(Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return 0;
    } else if (value instanceof String s) {
      // A char is at least one byte in UTF-8, and a surrogate pair four.
      return s.length();
    } else if (value instanceof byte[] bytes) {
      return bytes.length;
    } else if (value instanceof ByteBuffer buffer) {
      return buffer.remaining();
    } else if (value instanceof Struct struct) {
      long size = 0;
      List<Field> fields = struct.schema().fields();
      for (int i = 0; i < fields.size(); i++) {
        size += lowerBound(struct.get(fields.get(i)));
      }
      return size;
    } else if (value instanceof List<?> list) {
      long size = 0;
      for (Object element : list) {
        size += lowerBound(element);
      }
      return size;
    } else if (value instanceof Map<?, ?> map) {
      long size = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += lowerBound(entry.getKey()) + lowerBound(entry.getValue());
      }
      return size;
    }
    return 0;
  }

  private String message(SourceRecord record, long size) {
    StringBuilder message = new StringBuilder();
    message.append("A change of ").append(table(record));
    if (record.key() != null) {
      message.append(" with key ").append(shortened(String.valueOf(record.key())));
    }
    message
        .append(" for topic ")
        .append(record.topic())
        .append(" holds at least ")
        .append(size)
        .append(" bytes");
    largestColumn(record)
        .ifPresent(
            c ->
                message
                    .append(" (")
                    .append(c.bytes())
                    .append(" in column ")
                    .append(c.name())
                    .append(')'));
    message
        .append(", over the limit of ")
        .append(limitBytes)
        .append(" bytes (")
        .append(limitSource)
        .append("). Nothing was skipped: the task resumes from this change when restarted. To let")
        .append(" it through, raise producer.override.max.request.size on this connector (the")
        .append(" worker's connector.client.config.override.policy must allow it; or set")
        .append(" record.size.max.bytes when the worker's producer.max.request.size is raised)")
        .append(" and the topic's max.message.bytes (topic.creation.default.max.message.bytes")
        .append(" for topics the connector creates, kafka-configs --alter for an existing topic,")
        .append(" the broker's message.max.bytes for topics it creates itself)");
    return message.toString();
  }

  private static String table(SourceRecord record) {
    if (record.value() instanceof Struct value && value.schema().field("source") != null) {
      Object source = value.get("source");
      if (source instanceof Struct s
          && s.schema().field("schema") != null
          && s.schema().field("table") != null) {
        return "table " + s.get("schema") + "." + s.get("table");
      }
    }
    return "a table";
  }

  private static Optional<ColumnSize> largestColumn(SourceRecord record) {
    if (!(record.value() instanceof Struct value)) {
      return Optional.empty();
    }
    ColumnSize largest = null;
    for (String image : List.of("after", "before")) {
      if (value.schema().field(image) == null || !(value.get(image) instanceof Struct row)) {
        continue;
      }
      for (Field field : row.schema().fields()) {
        long bytes = lowerBound(row.get(field));
        if (largest == null || bytes > largest.bytes()) {
          largest = new ColumnSize(field.name(), bytes);
        }
      }
    }
    return Optional.ofNullable(largest);
  }

  private static String shortened(String text) {
    return text.length() <= MAX_KEY_TEXT ? text : text.substring(0, MAX_KEY_TEXT) + "...";
  }

  private record ColumnSize(String name, long bytes) {}
}

package io.pgsnow.sink.naming;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A data file's path in the stage, derived from offsets only: {@code
 * <connector>/<table>/<partition>/<start>_<end>_<topic tag>.json.gz}. A re-flush of the same
 * offsets after a crash gives the same path, so Snowpipe's per-file deduplication skips it. The
 * topic tag keeps files apart when several topics feed one table.
 *
 * <p>A file whose load failed for a transient reason is loaded again as a new attempt, {@code
 * <start>_<end>_<topic tag>_r<attempt>.json.gz}: Snowpipe never loads a file name it has processed
 * again, failed or not, so each attempt needs its own name. An attempt is made only once the one
 * before it has failed for good, so at most one attempt of a range can load.
 */
public record StageFileName(
    String directory, long startOffset, long endOffset, String topicTag, int attempt) {

  private static final Pattern FILE =
      Pattern.compile("(?:.*/)?(\\d+)_(\\d+)_([0-9a-f]{8})(?:_r(\\d+))?\\.json\\.gz");

  public StageFileName {
    if (startOffset < 0 || endOffset < startOffset) {
      throw new IllegalArgumentException("Bad offset range " + startOffset + "-" + endOffset);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("Bad attempt " + attempt);
    }
  }

  /** The first attempt of a range. */
  public StageFileName(String directory, long startOffset, long endOffset, String topicTag) {
    this(directory, startOffset, endOffset, topicTag, 0);
  }

  /** The directory of one topic partition's files in the table's stage. */
  public static String directory(String connector, Identifier table, int partition) {
    return connector + "/" + table.fragment() + "/" + partition;
  }

  /** A short stable tag of the topic name. */
  public static String topicTag(String topic) {
    CRC32 crc = new CRC32();
    crc.update(topic.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  public static StageFileName of(String directory, String topic, long start, long end) {
    return new StageFileName(directory, start, end, topicTag(topic));
  }

  /** The same offsets as attempt {@code n}. */
  public StageFileName withAttempt(int n) {
    return new StageFileName(directory, startOffset, endOffset, topicTag, n);
  }

  /** The next attempt at loading these offsets. */
  public StageFileName nextAttempt() {
    return withAttempt(attempt + 1);
  }

  /** Whether both name the same offsets of the same topic, in whichever attempt. */
  public boolean sameRange(StageFileName other) {
    return directory.equals(other.directory)
        && startOffset == other.startOffset
        && endOffset == other.endOffset
        && topicTag.equals(other.topicTag);
  }

  public String fileName() {
    String suffix = attempt == 0 ? "" : "_r" + attempt;
    return startOffset + "_" + endOffset + "_" + topicTag + suffix + ".json.gz";
  }

  /** The path relative to the stage, as insertFiles and load history name it. */
  public String path() {
    return directory + "/" + fileName();
  }

  /** Parses a path relative to the stage; empty for files this connector did not name. */
  public static Optional<StageFileName> parse(String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    Matcher m = FILE.matcher(path.substring(slash + 1));
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new StageFileName(
              path.substring(0, slash),
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              m.group(3),
              m.group(4) == null ? 0 : Integer.parseInt(m.group(4))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

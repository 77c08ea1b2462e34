package io.pgsnow.sink.recovery;

/** A file's load outcome as Snowpipe reports it. */
public record LoadStatus(
    String path, Status status, long rowsParsed, long rowsLoaded, String firstError) {

  /** Snowpipe's file statuses. */
  public enum Status {
    LOADED,
    LOAD_FAILED,
    PARTIALLY_LOADED,
    LOAD_IN_PROGRESS;

    public static Status parse(String text) {
      return switch (text == null ? "" : text.toUpperCase(java.util.Locale.ROOT)) {
        case "LOADED" -> LOADED;
        case "LOAD_FAILED", "FAILED" -> LOAD_FAILED;
        case "PARTIALLY_LOADED" -> PARTIALLY_LOADED;
        default -> LOAD_IN_PROGRESS;
      };
    }
  }

  public boolean isFinal() {
    return status != Status.LOAD_IN_PROGRESS;
  }

  public boolean isLoaded() {
    return status == Status.LOADED;
  }
}

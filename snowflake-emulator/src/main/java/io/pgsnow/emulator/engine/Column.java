package io.pgsnow.emulator.engine;

/** One column of a result set as the drivers read it from {@code rowtype}. */
public record Column(String name, String type, int precision, int scale, boolean nullable) {

  public static Column text(String name) {
    return new Column(name, "text", 0, 0, true);
  }

  public static Column fixed(String name) {
    return new Column(name, "fixed", 38, 0, true);
  }

  public static Column timestamp(String name) {
    return new Column(name, "timestamp_ltz", 0, 9, true);
  }
}

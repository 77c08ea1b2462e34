package io.pgsnow.source.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code data} of a Debezium signal row: {@code {"data-collections": ["public.orders"], "type":
 * "incremental"}}. Only these two fields are read, so a small scanner does.
 */
record SignalData(List<String> collections, String type) {
  private static final Pattern COLLECTIONS =
      Pattern.compile("\"data-collections\"\\s*:\\s*\\[(.*?)]", Pattern.DOTALL);
  private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  static SignalData parse(String data) {
    List<String> collections = new ArrayList<>();
    String type = "incremental";
    if (data != null) {
      Matcher m = COLLECTIONS.matcher(data);
      if (m.find()) {
        Matcher s = STRING.matcher(m.group(1));
        while (s.find()) {
          collections.add(s.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      Matcher t = TYPE.matcher(data);
      if (t.find()) {
        type = t.group(1);
      }
    }
    return new SignalData(List.copyOf(collections), type);
  }
}

package io.pgsnow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap of a JVM from its unified GC log ({@code -Xlog:gc:file=…}), counting the collections
 * from a given JVM uptime on (a worker's plugin scan at start-up is not its connector's heap): the
 * largest heap in use before a collection (what the JVM let the heap grow to) and the largest left
 * after one (the live data the process kept, which buffer settings should bound).
 */
record GcLogHeap(long peakBeforeGcMb, long peakAfterGcMb, int collections) {
  private static final Pattern PAUSE =
      Pattern.compile("(?m)^\\[([0-9.]+)s\\].*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  static GcLogHeap read(Path log, double sinceSeconds) throws IOException {
    return parse(Files.exists(log) ? Files.readString(log) : "", sinceSeconds);
  }

  static GcLogHeap parse(String log, double sinceSeconds) {
    long before = 0;
    long after = 0;
    int collections = 0;
    Matcher m = PAUSE.matcher(log);
    while (m.find()) {
      if (Double.parseDouble(m.group(1)) < sinceSeconds) {
        continue;
      }
      before = Math.max(before, Long.parseLong(m.group(2)));
      after = Math.max(after, Long.parseLong(m.group(3)));
      collections++;
    }
    return new GcLogHeap(before, after, collections);
  }
}

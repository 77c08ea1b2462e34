package io.pgsnow.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the workers' unified GC logs ({@code -Xlog:gc}) and logs say about memory: the largest heap
 * occupancy after a collection (the live data, bounded by what the connectors hold) and how many
 * OutOfMemoryErrors were logged.
 */
record HeapFigures(long maxAfterGcMb, long maxBeforeGcMb, long heapMb, int outOfMemoryErrors) {
  private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  static HeapFigures read(Path root) throws IOException {
    long after = 0;
    long before = 0;
    long heap = 0;
    int oom = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.startsWith("gc-") && name.endsWith(".log")) {
        Matcher m = PAUSE.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          before = Math.max(before, Long.parseLong(m.group(1)));
          after = Math.max(after, Long.parseLong(m.group(2)));
          heap = Math.max(heap, Long.parseLong(m.group(3)));
        }
      } else if (name.equals("worker.log")) {
        String log = Files.readString(file, StandardCharsets.ISO_8859_1);
        oom += (int) Pattern.compile("OutOfMemoryError").matcher(log).results().count();
      }
    }
    return new HeapFigures(after, before, heap, oom);
  }

  String summary() {
    return "heap after GC at most "
        + maxAfterGcMb
        + " MB (before "
        + maxBeforeGcMb
        + " MB) of "
        + heapMb
        + " MB; "
        + outOfMemoryErrors
        + " OutOfMemoryError";
  }
}

package io.pgsnow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the machine's 1-minute load average ({@code /proc/loadavg}, as {@code uptime} prints it)
 * every few seconds while a phase runs, so each table can state how loaded the machine was.
 */
final class LoadAverage implements AutoCloseable {
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "load-average-sampler");
            t.setDaemon(true);
            return t;
          });
  private double min = Double.MAX_VALUE;
  private double max;

  private LoadAverage() {}

  static LoadAverage sample() {
    LoadAverage load = new LoadAverage();
    load.sampler.scheduleAtFixedRate(load::take, 0, 5, TimeUnit.SECONDS);
    return load;
  }

  private synchronized void take() {
    double now = oneMinute();
    if (now >= 0) {
      min = Math.min(min, now);
      max = Math.max(max, now);
    }
  }

  /** "min–max" of the samples so far. */
  synchronized String range() {
    return min > max ? "n/a" : String.format(Locale.ROOT, "%.1f-%.1f", min, max);
  }

  static double oneMinute() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    take();
    sampler.shutdownNow();
  }
}

package io.pgsnow.demo;

import java.io.PrintStream;
import java.time.Duration;

/** What the demo tells the user as it goes: a line per step, indented details under it. */
final class Progress {
  private final PrintStream out;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** The stream details are printed to, e.g. by the warehouse queries. */
  PrintStream out() {
    return out;
  }

  void step(String message) {
    out.println("==> " + message);
  }

  void detail(String message) {
    out.println("  " + message);
  }

  void detail(String format, Object... args) {
    out.printf("  " + format + "%n", args);
  }

  /** Waits between two looks at a count that is still growing. */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

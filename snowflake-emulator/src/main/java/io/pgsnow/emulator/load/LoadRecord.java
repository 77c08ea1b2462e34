package io.pgsnow.emulator.load;

import java.time.Instant;
import java.util.Optional;

/** One entry of a pipe's load history, as insertReport and loadHistoryScan return it. */
public record LoadRecord(
    long sequence,
    String pipe,
    String path,
    String stageLocation,
    long fileSize,
    Instant timeReceived,
    Instant lastInsertTime,
    FileLoadResult result) {

  public String status() {
    return result.status().name();
  }

  public Optional<String> firstError() {
    return result.firstError();
  }
}

package io.pgsnow.sink.partition;

/** Where a stage file is on its way to the table. */
public enum FileState {
  /** Uploaded to the stage; Snowpipe not told yet (or not known to be). */
  STAGED,
  /** Named in insertFiles; waiting for the load outcome. */
  REGISTERED,
  /** Snowpipe reported it failed; the failure is not yet recorded durably. */
  FAILED
}

package io.pgsnow.sink.partition;

/** Where a stage file is on its way to the table. */
public enum FileState {
  /** Uploaded to the stage; Snowpipe not told yet (or not known to be). */
  STAGED,
  /** Named in insertFiles; waiting for the load outcome. */
  REGISTERED,
  /** Snowpipe reported it failed; what to do about it is not decided yet. */
  FAILED,
  /** Failed for a transient reason: its records are read again into the next attempt's file. */
  RETRYING,
  /** Failed for the data's sake: its records are read again and reported as errant. */
  REPORTING
}

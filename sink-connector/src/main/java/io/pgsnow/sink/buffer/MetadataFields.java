package io.pgsnow.sink.buffer;

/** Which {@code RECORD_METADATA} fields to write ({@code snowflake.metadata.*}). */
public record MetadataFields(
    boolean all, boolean topic, boolean offsetAndPartition, boolean createTime) {

  public static final MetadataFields ALL = new MetadataFields(true, true, true, true);
}

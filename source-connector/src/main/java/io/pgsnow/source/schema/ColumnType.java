package io.pgsnow.source.schema;

import org.apache.kafka.connect.data.Schema;

/** How one column is represented in Connect: its (optional) schema and its value from text. */
public interface ColumnType {
  Schema schema();

  /** Converts the text form pgoutput sends into the Connect value of {@link #schema()}. */
  Object fromText(String text);
}

package io.pgsnow.source.schema;

/** A column value that the chosen representation cannot hold. */
public final class ValueConversionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ValueConversionException(String message) {
    super(message);
  }
}

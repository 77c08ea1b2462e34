package io.pgsnow.source.schema;

/**
 * A value the column's representation cannot hold (numeric NaN or infinity in precise mode, a
 * timestamp past the 64-bit microsecond range). The change event carries null in the field and the
 * exact text in a header, so the pipeline keeps running and nothing is lost.
 */
public final class SpecialValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpecialValueException(String text) {
    super(text, null, false, false);
  }

  /** The value's exact text as PostgreSQL wrote it. */
  public String text() {
    return getMessage();
  }
}

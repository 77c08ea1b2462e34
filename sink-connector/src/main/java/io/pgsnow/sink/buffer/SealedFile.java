package io.pgsnow.sink.buffer;

/**
 * A closed buffer: gzipped JSON rows for offsets {@code start..end} (inclusive) of a partition, as
 * the {@code attempt}-th file of that range (0 unless the range is loaded again after a failure).
 */
public record SealedFile(
    long startOffset, long endOffset, int records, long rawBytes, byte[] gzip, int attempt) {

  public SealedFile(long startOffset, long endOffset, int records, long rawBytes, byte[] gzip) {
    this(startOffset, endOffset, records, rawBytes, gzip, 0);
  }

  /** These rows as attempt {@code n} of the range {@code start..end}. */
  public SealedFile asAttempt(long start, long end, int n) {
    return new SealedFile(start, end, records, rawBytes, gzip, n);
  }
}

package io.pgsnow.sink.buffer;

/** A closed buffer: gzipped JSON rows for offsets {@code start..end} (inclusive) of a partition. */
public record SealedFile(
    long startOffset, long endOffset, int records, long rawBytes, byte[] gzip) {}

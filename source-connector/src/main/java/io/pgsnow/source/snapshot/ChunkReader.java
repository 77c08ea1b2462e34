package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.TupleData;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/** Reads a SELECT's rows with {@code COPY (…) TO STDOUT}, one row at a time. */
public final class ChunkReader {
  /** Receives each row as it arrives. */
  @FunctionalInterface
  public interface RowSink {
    void accept(TupleData row) throws InterruptedException;
  }

  private ChunkReader() {}

  /** Streams the rows of {@code select}; returns how many there were. */
  public static long copy(Connection connection, String select, int columns, RowSink sink)
      throws SQLException, InterruptedException {
    CopyOut copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyOut("COPY (" + select + ") TO STDOUT");
    long rows = 0;
    try {
      byte[] line;
      while ((line = copy.readFromCopy()) != null) {
        sink.accept(CopyText.parse(line, columns));
        rows++;
      }
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    return rows;
  }
}

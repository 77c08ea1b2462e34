package io.pgsnow.sink.ingest;

import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The SQL side of Snowflake the sink uses: statements, queries and stage files. {@link
 * SnowflakeSession} is the JDBC implementation; units of the sink take this interface so they can
 * be tested against a fake. Implementations are safe to call from several threads.
 */
public interface Session extends AutoCloseable {

  /** A file in a stage: its path relative to the stage, and how many bytes the stage holds. */
  record StagedFile(String path, long size) {}

  /** Runs a statement. */
  void execute(String sql) throws SQLException;

  /** Runs a prepared statement with string or number binds; the updated row count. */
  int update(String sql, Object... binds) throws SQLException;

  /** All rows as strings, columns by label (upper case). */
  List<Map<String, String>> query(String sql) throws SQLException;

  /**
   * Uploads bytes already gzipped to {@code @stage/directory/fileName}, replacing a same name, and
   * fails with a transient error unless the stage then holds them.
   */
  void upload(Identifier stage, String directory, String fileName, byte[] gzip) throws SQLException;

  /** The files under {@code directory}, with paths relative to the stage. */
  List<StagedFile> list(Identifier stage, String directory) throws SQLException;

  @Override
  void close();
}

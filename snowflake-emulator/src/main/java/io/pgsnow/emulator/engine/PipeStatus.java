package io.pgsnow.emulator.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.sql.FunctionCalls;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Token;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SYSTEM$PIPE_STATUS: the translator leaves a placeholder call per pipe, which is replaced here by
 * the pipe's status as Snowflake reports it (JSON text: executionState, pendingFileCount, and the
 * last ingested file and time once the pipe has loaded one). A pipe that does not exist fails as in
 * Snowflake.
 */
final class PipeStatus {

  private static final Pattern CALL =
      Pattern.compile(Pattern.quote(FunctionCalls.PIPE_STATUS) + "\\('((?:[^']|'')*)'\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MetadataStore metadata;
  private final ToIntFunction<String> pendingFiles;

  PipeStatus(MetadataStore metadata, ToIntFunction<String> pendingFiles) {
    this.metadata = metadata;
    this.pendingFiles = pendingFiles;
  }

  String resolve(SessionState session, String duckSql) {
    if (!duckSql.contains(FunctionCalls.PIPE_STATUS)) {
      return duckSql;
    }
    Matcher m = CALL.matcher(duckSql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String status = status(session, m.group(1).replace("''", "'"));
      m.appendReplacement(out, Matcher.quoteReplacement(Token.duckLiteral(status)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String status(SessionState session, String rawName) {
    ObjectName name = session.qualify(ObjectName.parse(rawName));
    if (metadata.object("PIPE", name).isEmpty()) {
      throw SnowflakeSqlException.notFound("Pipe", name.display());
    }
    ObjectNode status = JSON.createObjectNode();
    status.put("executionState", "RUNNING");
    status.put("pendingFileCount", pendingFiles.applyAsInt(name.display()));
    List<LoadRecord> loads = metadata.loads(name.display());
    if (!loads.isEmpty()) {
      LoadRecord last = loads.get(loads.size() - 1);
      status.put("lastIngestedTimestamp", last.lastInsertTime().toString());
      status.put("lastIngestedFilePath", last.path());
    }
    return status.toString();
  }
}

package io.pgsnow.emulator.sql;

/**
 * A stage reference such as {@code @db.sch.stage/path}, {@code @%table/path} or {@code @~}. {@code
 * name} is the stage name for named stages and the table name for table stages.
 */
public record StageRef(Kind kind, ObjectName name, String path) {

  /** Which stage namespace the reference addresses. */
  public enum Kind {
    NAMED,
    TABLE,
    USER
  }

  /** Parses the text after {@code @}. */
  public static StageRef parse(String text) {
    String body = text.startsWith("@") ? text.substring(1) : text;
    if (body.startsWith("'") && body.endsWith("'") && body.length() > 1) {
      body = body.substring(1, body.length() - 1);
    }
    int slash = nameEnd(body);
    String namePart = body.substring(0, slash);
    String path = slash < body.length() ? body.substring(slash + 1) : "";
    if (namePart.equals("~")) {
      return new StageRef(Kind.USER, ObjectName.of("~"), path);
    }
    if (namePart.startsWith("%")) {
      return new StageRef(Kind.TABLE, ObjectName.parse(namePart.substring(1)), path);
    }
    int percent = namePart.indexOf(".%");
    if (percent >= 0) {
      String qualified = namePart.substring(0, percent + 1) + namePart.substring(percent + 2);
      return new StageRef(Kind.TABLE, ObjectName.parse(qualified), path);
    }
    return new StageRef(Kind.NAMED, ObjectName.parse(namePart), path);
  }

  private static int nameEnd(String body) {
    boolean quoted = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '/' && !quoted) {
        return i;
      }
    }
    return body.length();
  }

  public StageRef qualify(String database, String schema) {
    return kind == Kind.USER ? this : new StageRef(kind, name.qualify(database, schema), path);
  }

  public StageRef withPath(String newPath) {
    return new StageRef(kind, name, newPath);
  }
}

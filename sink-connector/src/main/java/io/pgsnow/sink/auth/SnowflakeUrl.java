package io.pgsnow.sink.auth;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code snowflake.url.name} as the official connector accepts it: {@code
 * [https://]account[.region].snowflakecomputing.com[:443]}, or {@code http://host:port} for a local
 * endpoint. The account is the first label of the host.
 */
public record SnowflakeUrl(String scheme, String host, int port, String account) {

  private static final Pattern URL =
      Pattern.compile("^(?:(https?)://)?([A-Za-z0-9_.-]+)(?::(\\d{1,5}))?/?$");

  public static SnowflakeUrl parse(String text) {
    Matcher m = URL.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Expected [https://]<account>.snowflakecomputing.com[:443], got '" + text + "'");
    }
    String scheme = m.group(1) == null ? "https" : m.group(1).toLowerCase(Locale.ROOT);
    String host = m.group(2);
    int port =
        m.group(3) != null ? Integer.parseInt(m.group(3)) : scheme.equals("https") ? 443 : 80;
    int dot = host.indexOf('.');
    String account = (dot < 0 ? host : host.substring(0, dot)).toUpperCase(Locale.ROOT);
    return new SnowflakeUrl(scheme, host, port, account);
  }

  public boolean secure() {
    return scheme.equals("https");
  }

  public String jdbcUrl() {
    return "jdbc:snowflake://" + host + ":" + port + "/" + (secure() ? "" : "?ssl=off");
  }
}

package io.pgsnow.sink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthTest {

  @Test
  void parsesPemWithAndWithoutHeaders() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PrivateKey key = g.generateKeyPair().getPrivate();
    String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
    assertThat(PrivateKeys.parse(base64, "")).isEqualTo(key);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    assertThat(PrivateKeys.parse(pem, null)).isEqualTo(key);
    assertThatThrownBy(() -> PrivateKeys.parse("not a key", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("not a key");
  }

  @Test
  void urlsLikeTheOfficialConnector() {
    SnowflakeUrl cloud = SnowflakeUrl.parse("myacct.eu-west-1.snowflakecomputing.com:443");
    assertThat(cloud.account()).isEqualTo("MYACCT");
    assertThat(cloud.jdbcUrl())
        .isEqualTo("jdbc:snowflake://myacct.eu-west-1.snowflakecomputing.com:443/");
    SnowflakeUrl local = SnowflakeUrl.parse("http://127.0.0.1:8085");
    assertThat(local.jdbcUrl()).isEqualTo("jdbc:snowflake://127.0.0.1:8085/?ssl=off");
    assertThatThrownBy(() -> SnowflakeUrl.parse("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

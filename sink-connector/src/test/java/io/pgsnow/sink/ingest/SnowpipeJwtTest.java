package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.sink.recovery.LoadStatus;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SnowpipeJwtTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void tokenNamesTheUserAndKeyAndVerifiesWithThePublicKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    SnowpipeJwt jwt =
        new SnowpipeJwt("xy12345", "loader", keys.getPrivate(), Clock.fixed(now, ZoneOffset.UTC));

    String[] parts = jwt.token().split("\\.");
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));

    String fingerprint = SnowpipeJwt.fingerprint(keys.getPublic());
    assertThat(claims.path("iss").asText()).isEqualTo("XY12345.LOADER." + fingerprint);
    assertThat(claims.path("sub").asText()).isEqualTo("XY12345.LOADER");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong())
        .isEqualTo(SnowpipeJwt.LIFETIME.toSeconds());
    assertThat(Duration.ofSeconds(claims.path("exp").asLong() - now.getEpochSecond()))
        .isLessThanOrEqualTo(Duration.ofHours(1));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(keys.getPublic());
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    assertThat(SnowpipeJwt.publicKeyOf(keys.getPrivate()).getEncoded())
        .isEqualTo(keys.getPublic().getEncoded());
  }

  @Test
  void pipeNamesBecomeOnePathSegment() {
    assertThat(SnowpipeClient.pathSegment("DB.PUBLIC.PIPE_1")).isEqualTo("DB.PUBLIC.PIPE_1");
    assertThat(SnowpipeClient.pathSegment("DB.\"my pipe\"")).isEqualTo("DB.%22my%20pipe%22");
  }

  @Test
  void reportEntriesBecomeLoadStatuses() throws Exception {
    JsonNode files =
        JSON.readTree(
            """
            [{"path":"a/1.json.gz","status":"LOADED","rowsParsed":3,"rowsInserted":3},
             {"path":"a/2.json.gz","status":"LOAD_FAILED","rowsParsed":2,"rowsInserted":0,
              "firstError":"Error parsing JSON"},
             {"path":"a/3.json.gz","status":"LOAD_IN_PROGRESS"}]
            """);
    var outcomes = SnowpipeClient.outcomes(files);
    assertThat(outcomes.get("a/1.json.gz"))
        .isEqualTo(new LoadStatus("a/1.json.gz", LoadStatus.Status.LOADED, 3, 3, null));
    assertThat(outcomes.get("a/2.json.gz").firstError()).isEqualTo("Error parsing JSON");
    assertThat(outcomes.get("a/3.json.gz").isFinal()).isFalse();
  }
}

package io.pgsnow.sink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /** Keys made by openssl in each form users bring; all hold the same test-only key pair. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "rsa_key.p8",
        "rsa_key_pkcs1.pem",
        "rsa_key_des3.p8",
        "rsa_key_aes256.p8",
        "rsa_key_pbe_sha1_3des.p8"
      })
  void readsEveryFormOpensslWrites(String file) throws Exception {
    PrivateKey key = PrivateKeys.parse(resource(file), PASSPHRASE);
    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertThat(key.getFormat()).isEqualTo("PKCS#8");
    assertThat(signs(key)).isTrue();
    String bare = resource(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    if (!file.endsWith("pkcs1.pem")) {
      // Without its labels (as the seed's grep -v / tr -d pipeline leaves it) it reads the same.
      assertThat(PrivateKeys.parse(bare, PASSPHRASE)).isEqualTo(key);
    }
  }

  @Test
  void encryptedKeysNeedTheRightPassphraseAndSayWhichSetting() {
    String encrypted = resource("rsa_key_des3.p8");
    assertThatThrownBy(() -> PrivateKeys.parse(encrypted, "wrong"))
        .isInstanceOf(PrivateKeys.PassphraseException.class)
        .hasMessageContaining("snowflake.private.key.passphrase");
    assertThatThrownBy(() -> PrivateKeys.parse(encrypted, ""))
        .isInstanceOf(PrivateKeys.PassphraseException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining("snowflake.private.key.passphrase");
    // Without its labels, an encrypted key is told apart only by failing as a plain one.
    String bare = encrypted.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    assertThatThrownBy(() -> PrivateKeys.parse(bare, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("if it is an encrypted key, set snowflake.private.key.passphrase");
    // A passphrase set for a key that is not encrypted is not in the way.
    assertThat(PrivateKeys.parse(resource("rsa_key.p8"), PASSPHRASE)).isNotNull();
  }

  private static final String PASSPHRASE = "pgsnow-test";

  private static String resource(String name) {
    try (InputStream in = AuthTest.class.getResourceAsStream("/keys/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a signature made with the key verifies with the fixture's public key. */
  private static boolean signs(PrivateKey key) throws Exception {
    String pem = resource("rsa_key.pub").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    byte[] data = "pgsnow".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey);
    verifier.update(data);
    return verifier.verify(signature);
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

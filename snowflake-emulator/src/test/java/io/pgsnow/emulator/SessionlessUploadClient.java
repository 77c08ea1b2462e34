package io.pgsnow.emulator;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.Properties;
import net.snowflake.client.core.OCSPMode;
import net.snowflake.client.core.SFSession;
import net.snowflake.client.core.SFStatement;
import net.snowflake.client.jdbc.SnowflakeConnectionV1;
import net.snowflake.client.jdbc.SnowflakeDriver;
import net.snowflake.client.jdbc.SnowflakeFileTransferAgent;
import net.snowflake.client.jdbc.SnowflakeFileTransferConfig;
import net.snowflake.client.jdbc.SnowflakeFileTransferMetadataV1;

/**
 * Stages files the way the official Snowflake Kafka connector 2.x does (its {@code
 * SnowflakeInternalStage}): key-pair login, a {@code PUT file:///tmp/dummyFileName @stage} to learn
 * the stage type, then per file a {@code PUT file:///<name> @stage/<dir>} whose answer is turned
 * into file-transfer metadata, and {@code uploadWithoutConnection} of the JSON text, which the
 * driver gzips itself (it would also encrypt it if the stage said it was client-side encrypted).
 *
 * <p>{@link SessionlessUploadIT} runs this class in a child JVM whose class path is the connector's
 * bundled driver jar, {@code slf4j-api} and the test classes, so the module's newer driver is never
 * loaded. It is compiled against the newer driver; the calls it makes have the same signatures in
 * both versions.
 *
 * <p>Arguments: JDBC URL, account, user, database, schema, stage, then pairs of stage path and file
 * content. The PKCS#8 private key comes base64-encoded in the {@value #PRIVATE_KEY_ENV} environment
 * variable. Prints {@code driver <version>}, {@code stage <type>} and {@code uploaded <path>}
 * lines.
 */
public final class SessionlessUploadClient {

  static final String PRIVATE_KEY_ENV = "SESSIONLESS_UPLOAD_PRIVATE_KEY";

  private SessionlessUploadClient() {}

  public static void main(String[] args) throws Exception {
    String stage = args[5];
    System.out.println("driver " + SnowflakeDriver.implementVersion);
    try (Connection conn = DriverManager.getConnection(args[0], properties(args))) {
      SFSession session = conn.unwrap(SnowflakeConnectionV1.class).getSfSession();
      String probe = "PUT file:///tmp/dummyFileName @" + stage;
      System.out.println(
          "stage "
              + new SnowflakeFileTransferAgent(probe, session, new SFStatement(session))
                  .getStageInfo()
                  .getStageType());
      for (int i = 6; i + 1 < args.length; i += 2) {
        upload(session, stage, args[i], args[i + 1]);
        System.out.println("uploaded " + args[i]);
      }
    }
  }

  private static Properties properties(String... args) throws Exception {
    byte[] der = Base64.getDecoder().decode(System.getenv(PRIVATE_KEY_ENV));
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    Properties p = new Properties();
    p.put("account", args[1]);
    p.put("user", args[2]);
    p.put("db", args[3]);
    p.put("schema", args[4]);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", key);
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    return p;
  }

  private static void upload(SFSession session, String stage, String path, String content)
      throws Exception {
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    String command = "PUT file:///" + name + " @" + stage + "/" + path.substring(0, slash);
    SnowflakeFileTransferMetadataV1 metadata =
        (SnowflakeFileTransferMetadataV1)
            new SnowflakeFileTransferAgent(command, session, new SFStatement(session))
                .getFileTransferMetadatas()
                .get(0);
    metadata.setPresignedUrlFileName(path);
    SnowflakeFileTransferAgent.uploadWithoutConnection(
        SnowflakeFileTransferConfig.Builder.newInstance()
            .setSnowflakeFileTransferMetadata(metadata)
            .setUploadStream(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))
            .setRequireCompress(true)
            .setDestFileName(name)
            .setOcspMode(OCSPMode.FAIL_OPEN)
            .setProxyProperties(new Properties())
            .build());
  }
}

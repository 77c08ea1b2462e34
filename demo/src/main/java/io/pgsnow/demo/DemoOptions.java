package io.pgsnow.demo;

import java.nio.file.Path;
import java.util.Optional;

/** Command line of {@code bin/demo}; every option has an environment variable too. */
record DemoOptions(
    Path root,
    Path workDir,
    boolean keepRunning,
    int pgPort,
    int kafkaPort,
    int connectPort,
    int emulatorPort,
    int bonuses,
    Optional<String> snowflakeUrl,
    Optional<String> snowflakeUser,
    Optional<Path> privateKeyFile) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: bin/demo [--keep-running] [--pg-port N] [--kafka-port N] [--connect-port N]",
          "                [--emulator-port N] [--bonuses N]",
          "                [--snowflake-url URL --snowflake-user USER --private-key-file FILE]",
          "       bin/demo stop",
          "",
          "Runs the seed's pipeline locally: PostgreSQL -> Kafka Connect with the pgsnow plugins",
          "-> the Snowflake emulator (or a real Snowflake account with --snowflake-url ...).",
          "Environment: PGSNOW_DEMO_PG_PORT, PGSNOW_DEMO_KAFKA_PORT, PGSNOW_DEMO_CONNECT_PORT,",
          "PGSNOW_DEMO_EMULATOR_PORT, SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_FILE.");

  static DemoOptions parse(Path root, String... args) {
    boolean keep = false;
    int pg = env("PGSNOW_DEMO_PG_PORT", 15432);
    int kafka = env("PGSNOW_DEMO_KAFKA_PORT", 19092);
    int connect = env("PGSNOW_DEMO_CONNECT_PORT", 18083);
    int emulator = env("PGSNOW_DEMO_EMULATOR_PORT", 18090);
    int bonuses = 40;
    Optional<String> url = Optional.ofNullable(System.getenv("SNOWFLAKE_URL"));
    Optional<String> user = Optional.ofNullable(System.getenv("SNOWFLAKE_USER"));
    Optional<Path> key =
        Optional.ofNullable(System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE")).map(Path::of);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--keep-running" -> keep = true;
        case "--pg-port" -> pg = Integer.parseInt(args[++i]);
        case "--kafka-port" -> kafka = Integer.parseInt(args[++i]);
        case "--connect-port" -> connect = Integer.parseInt(args[++i]);
        case "--emulator-port" -> emulator = Integer.parseInt(args[++i]);
        case "--bonuses" -> bonuses = Integer.parseInt(args[++i]);
        case "--snowflake-url" -> url = Optional.of(args[++i]);
        case "--snowflake-user" -> user = Optional.of(args[++i]);
        case "--private-key-file" -> key = Optional.of(Path.of(args[++i]));
        default -> throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
      }
    }
    if (url.isPresent() != user.isPresent() || url.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          "--snowflake-url, --snowflake-user and --private-key-file go together\n" + USAGE);
    }
    return new DemoOptions(
        root, root.resolve(".demo"), keep, pg, kafka, connect, emulator, bonuses, url, user, key);
  }

  /** The port of the Kafka controller: the one after the broker's. */
  int controllerPort() {
    return kafkaPort + 1;
  }

  private static int env(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
  }

  DemoOptions withPorts(int pg, int kafka, int connect, int emulator) {
    return copy(workDir, pg, kafka, connect, emulator);
  }

  DemoOptions withWorkDir(Path dir) {
    return copy(dir, pgPort, kafkaPort, connectPort, emulatorPort);
  }

  /** These options with another work directory and ports. */
  private DemoOptions copy(Path dir, int pg, int kafka, int connect, int emulator) {
    return new DemoOptions(
        root,
        dir,
        keepRunning,
        pg,
        kafka,
        connect,
        emulator,
        bonuses,
        snowflakeUrl,
        snowflakeUser,
        privateKeyFile);
  }
}

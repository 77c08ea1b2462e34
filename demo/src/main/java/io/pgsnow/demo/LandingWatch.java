package io.pgsnow.demo;

import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches the changes travel: counts them in PostgreSQL, Kafka and the warehouse every two seconds
 * until they landed (or a deadline passed), printing each look.
 */
final class LandingWatch {
  static final String PAYROLL_TABLE = "KAFKA_DB.PUBLIC.PAYROLL";
  private static final Duration LOOK_EVERY = Duration.ofSeconds(2);

  private final LocalPostgres pg;
  private final String database;
  private final String bootstrapServers;
  private final Warehouse warehouse;
  private final boolean sinkInstalled;
  private final Progress progress;

  /**
   * @param sinkInstalled whether the rows land in the warehouse; without a sink, they are counted
   *     in Kafka
   */
  LandingWatch(
      LocalPostgres pg,
      String database,
      String bootstrapServers,
      Warehouse warehouse,
      boolean sinkInstalled,
      Progress progress) {
    this.pg = pg;
    this.database = database;
    this.bootstrapServers = bootstrapServers;
    this.warehouse = warehouse;
    this.sinkInstalled = sinkInstalled;
    this.progress = progress;
  }

  /** The number of joined rows that landed (or reached Kafka, without a sink). */
  int awaitRows(int expected) throws Exception {
    progress.step("Waiting for " + expected + " joined rows (FULL_NAME, BONUS, ...) to land");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    int landed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      while (System.nanoTime() < deadline) {
        long captured = count("SELECT count(*) FROM payroll_bonus");
        long inKafka = endOffset(consumer, "payroll_complete");
        landed = sinkInstalled ? warehouse.count(SeedQueries.COMPLETE_TABLE) : (int) inKafka;
        progress.detail(
            "PostgreSQL: %d bonus rows | Kafka payroll_complete: %d records | %s: %d rows",
            captured, inKafka, sinkInstalled ? "Snowflake PAYROLL_COMPLETE" : "joined", landed);
        if (landed >= expected) {
          break;
        }
        Progress.pause(LOOK_EVERY);
      }
    }
    return landed;
  }

  /**
   * Waits until PAYROLL and the seed's TOPIC_PAYROLL hold every change of the payroll table,
   * refreshes PAYROLL_CURRENT (a dynamic table refreshes by itself within its target lag; the demo
   * does not wait for it), then reads it and PostgreSQL's payroll.
   */
  PayrollComparison awaitCurrentState(int changes) throws Exception {
    progress.step(
        "Waiting for the "
            + changes
            + " payroll changes (snapshot, raise, delete) to land in PAYROLL and TOPIC_PAYROLL,"
            + " then refreshing"
            + " PAYROLL_CURRENT");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      int models = warehouse.count(PAYROLL_TABLE);
      int seed = warehouse.count(SeedQueries.PAYROLL_TABLE);
      progress.detail(
          "Snowflake PAYROLL: %d, TOPIC_PAYROLL: %d of %d changes", models, seed, changes);
      boolean landed = models >= changes && seed >= changes;
      if (landed && refreshCurrentState() || System.nanoTime() > deadline) {
        break;
      }
      Progress.pause(LOOK_EVERY);
    }
    QueryResult postgres;
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(PayrollComparison.POSTGRES_QUERY)) {
      postgres = QueryResult.read(rs);
    }
    return new PayrollComparison(postgres, warehouse.select(PayrollComparison.CURRENT_QUERY));
  }

  /** Whether PAYROLL_CURRENT exists and was refreshed. */
  private boolean refreshCurrentState() {
    try {
      warehouse.execute("ALTER DYNAMIC TABLE " + PayrollComparison.CURRENT + " REFRESH");
      return true;
    } catch (SQLException e) {
      progress.detail("PAYROLL_CURRENT not refreshed yet: " + e.getMessage());
      return false;
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static long endOffset(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    try {
      TopicPartition tp = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(tp), Duration.ofSeconds(5)).getOrDefault(tp, 0L);
    } catch (RuntimeException e) {
      return 0L;
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

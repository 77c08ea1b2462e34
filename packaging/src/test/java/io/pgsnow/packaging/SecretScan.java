package io.pgsnow.packaging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Looks for the run's secrets (the source role's password, the Snowflake private key in its
 * encrypted and plain forms, its passphrase) in every worker log, every record of every topic
 * (keys, values, headers; Connect's config, offset and status topics included) and every REST
 * answer the suite received, plus each connector's config, tasks and status read at the end.
 */
final class SecretScan {
  /** Where a secret was found ({@code place: secret name}), and what was read. */
  record Findings(List<String> places, List<String> scanned) {}

  private final FaultPipeline pipeline;
  private final Map<String, String> secrets = new LinkedHashMap<>();

  SecretScan(FaultPipeline pipeline) {
    this.pipeline = pipeline;
    secrets.put("database password", pipeline.rolePassword);
    secrets.put("private key passphrase", pipeline.passphrase);
    // A line of the encrypted PEM and the start of the plain key's DER in base64.
    secrets.put("encrypted private key", pipeline.encryptedKey.lines().toList().get(1));
    secrets.put(
        "private key",
        Base64.getEncoder()
            .encodeToString(pipeline.keys.getPrivate().getEncoded())
            .substring(40, 104));
  }

  Findings scan() throws Exception {
    List<String> places = new ArrayList<>();
    List<String> scanned = new ArrayList<>();
    for (Path log : pipeline.logs()) {
      if (Files.exists(log)) {
        check(log.toString(), Files.readString(log, StandardCharsets.ISO_8859_1), places);
        scanned.add(log.toString());
      }
    }
    for (String connector :
        List.of(FaultPipeline.SOURCE, FaultPipeline.LEDGER_SINK, FaultPipeline.BLOB_SINK)) {
      for (String path : List.of("", "/config", "/tasks", "/status", "/topics")) {
        pipeline.rest("/connectors/" + connector + path);
      }
    }
    pipeline.rest("/connectors?expand=info&expand=status");
    List<String> answers = pipeline.restAnswers();
    for (int i = 0; i < answers.size(); i++) {
      check("REST answer " + i, answers.get(i), places);
    }
    scanned.add(answers.size() + " REST answers");
    try (Admin admin = pipeline.kafka.admin()) {
      Set<String> topics =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      for (String topic : topics) {
        scanned.add("topic " + topic + ": " + scanTopic(topic, places) + " records");
      }
    }
    return new Findings(places, scanned);
  }

  private long scanTopic(String topic, List<String> places) {
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = pipeline.consumer(Map.of())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          String where = "topic " + topic + " offset " + r.partition() + "/" + r.offset();
          check(where, text(r.key()) + text(r.value()), places);
          for (Header h : r.headers()) {
            check(where + " header " + h.key(), text(h.value()), places);
          }
        }
      }
    }
    return records;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private void check(String where, String text, List<String> places) {
    secrets.forEach(
        (name, secret) -> {
          if (text.contains(secret)) {
            places.add(where + ": " + name);
          }
        });
  }
}

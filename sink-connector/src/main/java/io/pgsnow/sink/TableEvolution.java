package io.pgsnow.sink;

import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ingest.ModelProvisioner;
import io.pgsnow.sink.ingest.ObjectProvisioner;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.model.ModelShape;
import io.pgsnow.sink.model.ShapeCache;
import io.pgsnow.sink.naming.Identifier;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Brings a table (its columns) and its models up to the records about to be buffered, so every file
 * is registered with Snowpipe only after its table has all the columns its rows carry.
 */
final class TableEvolution {

  private final ObjectProvisioner provisioner;
  private final ModelProvisioner models;
  private final ShapeCache shapes;

  /**
   * @param models null when no models are configured
   */
  TableEvolution(ObjectProvisioner provisioner, ModelProvisioner models, ShapeCache shapes) {
    this.provisioner = provisioner;
    this.models = models;
    this.shapes = shapes;
  }

  /** Adds the columns a record needs before its row is buffered. */
  void ensureColumns(TopicPartition tp, Identifier table, List<DdlBuilder.Column> needed) {
    if (needed.isEmpty() || provisioner.missingColumns(table, needed).isEmpty()) {
      return;
    }
    try {
      provisioner.addColumns(table, needed);
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Adding columns to " + table.sql() + " for " + tp, e);
    }
  }

  /** Creates or extends the table's models when a record shows them a new shape. */
  void ensureModels(TopicPartition tp, Identifier table, SinkRecord record) {
    if (models == null) {
      return;
    }
    Optional<ModelShape> shape = shapes.shapeOf(record);
    if (shape.isEmpty() || !models.needs(table, shape.get())) {
      return;
    }
    try {
      models.ensure(table, shape.get());
    } catch (ConnectException e) {
      throw e;
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Creating the models of " + table.sql() + " for " + tp, e);
    }
  }
}

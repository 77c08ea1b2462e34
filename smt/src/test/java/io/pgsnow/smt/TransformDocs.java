package io.pgsnow.smt;

import io.pgsnow.testkit.ConfigDocs.Documented;
import java.util.List;

/** The transforms documented in {@code smt/docs}. */
final class TransformDocs {
  static final List<Documented> ALL =
      List.of(
          new Documented(
              "unwrap-change-event.md",
              "UnwrapChangeEvent",
              List.of(UnwrapChangeEvent.Value.class, UnwrapChangeEvent.Key.class),
              UnwrapChangeEvent.OVERVIEW_DOC,
              UnwrapChangeEventConfig.CONFIG_DEF),
          new Documented(
              "flatten.md",
              "Flatten",
              List.of(Flatten.Value.class, Flatten.Key.class),
              Flatten.OVERVIEW_DOC,
              FlattenConfig.CONFIG_DEF),
          new Documented(
              "lookup-join.md",
              "LookupJoin",
              List.of(LookupJoin.Value.class, LookupJoin.Key.class),
              LookupJoin.OVERVIEW_DOC,
              LookupJoinConfig.CONFIG_DEF),
          new Documented(
              "concat-fields.md",
              "ConcatFields",
              List.of(ConcatFields.Value.class, ConcatFields.Key.class),
              ConcatFields.OVERVIEW_DOC,
              ConcatFieldsConfig.CONFIG_DEF));

  private TransformDocs() {}
}

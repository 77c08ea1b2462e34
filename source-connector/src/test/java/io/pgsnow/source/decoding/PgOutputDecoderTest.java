package io.pgsnow.source.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {

  @Test
  void decodesEveryMessageOfTheVersion1Stream() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v1-changes.hex");
    assertThat(messages)
        .extracting(m -> m.getClass().getSimpleName())
        .containsExactly(
            "Begin",
            "Relation",
            "Insert",
            "Insert",
            "Commit",
            "Begin",
            "Update",
            "Commit",
            "Begin",
            "Update",
            "Commit",
            "Begin",
            "Delete",
            "Commit",
            "Begin",
            "Relation",
            "Insert",
            "Commit",
            "Begin",
            "Update",
            "Commit",
            "Begin",
            "Relation",
            "Truncate",
            "Commit");
  }

  @Test
  void decodesBeginAndCommitPositions() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v1-changes.hex");
    PgOutputMessage.Begin begin = (PgOutputMessage.Begin) messages.get(0);
    PgOutputMessage.Commit commit = (PgOutputMessage.Commit) messages.get(4);
    assertThat(begin.xid()).isEqualTo(0x2d5);
    assertThat(begin.finalLsn()).isEqualTo(0x152d478L);
    assertThat(commit.commitLsn()).isEqualTo(begin.finalLsn());
    assertThat(commit.endLsn()).isEqualTo(0x152d4a8L);
    assertThat(commit.commitTimeMicros()).isEqualTo(begin.commitTimeMicros());
    // Captured in 2026: the PostgreSQL epoch offset is applied.
    assertThat(commit.commitTimeMicros() / 1_000_000L / 86_400L / 365L).isEqualTo(56);
  }

  @Test
  void decodesRelationsWithKeyFlagsTypesAndModifiers() {
    PgOutputMessage.Relation emp =
        (PgOutputMessage.Relation) PgOutputFixtures.decode("v1-changes.hex").get(1);
    assertThat(emp.namespace()).isEqualTo("public");
    assertThat(emp.name()).isEqualTo("emp");
    assertThat(emp.replicaIdentity()).isEqualTo('d');
    assertThat(emp.columns())
        .containsExactly(
            new PgOutputMessage.Column(true, "id", 23, -1),
            new PgOutputMessage.Column(false, "name", 25, -1),
            new PgOutputMessage.Column(false, "rate", 1700, (8 << 16 | 2) + 4));
    PgOutputMessage.Relation full =
        (PgOutputMessage.Relation) PgOutputFixtures.decode("v1-changes.hex").get(15);
    assertThat(full.replicaIdentity()).isEqualTo('f');
  }

  @Test
  void decodesTuplesWithNullsAndText() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v1-changes.hex");
    TupleData first = ((PgOutputMessage.Insert) messages.get(2)).newTuple();
    assertThat(first.size()).isEqualTo(3);
    assertThat(first.text(0)).isEqualTo("1");
    assertThat(first.text(1)).isEqualTo("Sheridan");
    assertThat(first.text(2)).isEqualTo("23.50");
    TupleData second = ((PgOutputMessage.Insert) messages.get(3)).newTuple();
    assertThat(second.isNull(1)).isTrue();
    assertThat(second.text(1)).isNull();
  }

  @Test
  void decodesOldKeysAndOldRows() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v1-changes.hex");
    PgOutputMessage.Update plain = (PgOutputMessage.Update) messages.get(6);
    assertThat(plain.oldTuple()).isNull();
    assertThat(plain.newTuple().text(1)).isEqualTo("Ada");

    PgOutputMessage.Update keyChange = (PgOutputMessage.Update) messages.get(9);
    assertThat(keyChange.oldIsKeyOnly()).isTrue();
    assertThat(keyChange.oldTuple().text(0)).isEqualTo("2");
    assertThat(keyChange.oldTuple().isNull(1)).isTrue();
    assertThat(keyChange.newTuple().text(0)).isEqualTo("3");

    PgOutputMessage.Delete delete = (PgOutputMessage.Delete) messages.get(12);
    assertThat(delete.oldIsKeyOnly()).isTrue();
    assertThat(delete.oldTuple().text(0)).isEqualTo("1");

    PgOutputMessage.Update full = (PgOutputMessage.Update) messages.get(19);
    assertThat(full.oldIsKeyOnly()).isFalse();
    assertThat(full.oldTuple().text(1)).isEqualTo("x");
    assertThat(full.newTuple().text(1)).isEqualTo("y");
  }

  @Test
  void decodesTruncate() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v1-changes.hex");
    PgOutputMessage.Relation emp = (PgOutputMessage.Relation) messages.get(22);
    PgOutputMessage.Truncate truncate = (PgOutputMessage.Truncate) messages.get(23);
    assertThat(truncate.relationIds()).containsExactly(emp.relationId());
    assertThat(truncate.cascade()).isFalse();
    assertThat(truncate.restartIdentity()).isFalse();
  }

  @Test
  void readsTransactionIdsInsideStreamedBlocksOnly() {
    List<PgOutputMessage> messages = PgOutputFixtures.decode("v2-streamed.hex");
    PgOutputMessage.StreamStart start = (PgOutputMessage.StreamStart) messages.get(0);
    assertThat(start.firstSegment()).isTrue();
    assertThat(messages)
        .filteredOn(m -> m instanceof PgOutputMessage.Insert)
        .allSatisfy(m -> assertThat(((PgOutputMessage.Insert) m).xid()).isPositive());
    PgOutputMessage.StreamCommit commit =
        (PgOutputMessage.StreamCommit)
            messages.stream()
                .filter(m -> m instanceof PgOutputMessage.StreamCommit)
                .findFirst()
                .get();
    PgOutputMessage.StreamAbort abort =
        (PgOutputMessage.StreamAbort)
            messages.stream()
                .filter(m -> m instanceof PgOutputMessage.StreamAbort)
                .findFirst()
                .get();
    // The committed transaction's rolled-back savepoint is a subtransaction abort.
    assertThat(commit.xid()).isEqualTo(start.xid());
    assertThat(abort.xid()).isEqualTo(commit.xid());
    assertThat(abort.subXid()).isNotEqualTo(abort.xid());
    // The second transaction is still in progress where the capture ends.
    assertThat(messages)
        .filteredOn(m -> m instanceof PgOutputMessage.StreamStart)
        .hasSize(9)
        .extracting(m -> ((PgOutputMessage.StreamStart) m).xid())
        .contains(commit.xid())
        .hasSize(9)
        .filteredOn(xid -> xid != commit.xid())
        .isNotEmpty()
        .allMatch(xid -> xid == commit.xid() + 3);
    assertThat(messages).filteredOn(m -> m instanceof PgOutputMessage.StreamStop).hasSize(9);
  }

  @Test
  void rejectsUnknownMessagesWithTheirTag() {
    PgOutputDecoder decoder = new PgOutputDecoder();
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(new byte[] {'Z', 0})))
        .isInstanceOf(PgOutputException.class)
        .hasMessageContaining("'Z'");
  }

  @Test
  void decodesLogicalMessagesAndOrigins() {
    ByteBuffer message = ByteBuffer.allocate(64);
    message.put((byte) 'M').put((byte) 1).putLong(0x10L).put("pfx".getBytes()).put((byte) 0);
    message.putInt(2).put(new byte[] {7, 8}).flip();
    PgOutputMessage.LogicalMessage decoded =
        (PgOutputMessage.LogicalMessage) new PgOutputDecoder().decode(message);
    assertThat(decoded.transactional()).isTrue();
    assertThat(decoded.prefix()).isEqualTo("pfx");
    assertThat(decoded.content()).containsExactly(7, 8);

    ByteBuffer origin = ByteBuffer.allocate(32);
    origin.put((byte) 'O').putLong(0x20L).put("upstream".getBytes()).put((byte) 0).flip();
    assertThat(new PgOutputDecoder().decode(origin))
        .isEqualTo(new PgOutputMessage.Origin(0x20L, "upstream"));
  }
}

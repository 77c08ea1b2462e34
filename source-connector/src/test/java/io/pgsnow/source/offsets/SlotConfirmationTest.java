package io.pgsnow.source.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotConfirmationTest {
  private static final SourcePosition A = new SourcePosition(1000, 5, 1);
  private static final SourcePosition B = new SourcePosition(2000, 0, 2);

  @Test
  void confirmsTheCommittedTransactionsCommitLsn() {
    SlotConfirmation policy = new SlotConfirmation(500);
    assertThat(policy.next(A, B, 0, true)).isEqualTo(1000);
  }

  @Test
  void neverConfirmsPastRecordsNotYetCommitted() {
    SlotConfirmation policy = new SlotConfirmation(500);
    assertThat(policy.next(null, A, 5000, false)).isEqualTo(500);
    assertThat(policy.next(A, B, 5000, false)).isEqualTo(1000);
  }

  @Test
  void advancesToTheReadPositionWhenIdleAndEverythingIsCommitted() {
    SlotConfirmation policy = new SlotConfirmation(500);
    assertThat(policy.next(B, B, 5000, false)).isEqualTo(5000);
    assertThat(new SlotConfirmation(500).next(null, null, 3000, false)).isEqualTo(3000);
  }

  @Test
  void doesNotAdvanceInsideATransaction() {
    assertThat(new SlotConfirmation(500).next(B, B, 5000, true)).isEqualTo(2000);
  }

  @Test
  void neverMovesBackwards() {
    SlotConfirmation policy = new SlotConfirmation(500);
    policy.next(B, B, 5000, false);
    assertThat(policy.next(A, B, 0, true)).isEqualTo(5000);
  }

  @Test
  void comparesLsnsAsUnsigned() {
    long high = 0x8000_0000_0000_0000L;
    assertThat(new SlotConfirmation(500).next(new SourcePosition(high, 0, 1), null, 0, true))
        .isEqualTo(high);
    assertThat(new SourcePosition(high, 0, 1)).isGreaterThan(new SourcePosition(1, 0, 1));
  }
}

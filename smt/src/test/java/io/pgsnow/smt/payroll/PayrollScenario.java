package io.pgsnow.smt.payroll;

import io.pgsnow.smt.ChangeEvents;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The seed's payroll story as change events in commit order, with what the seed's join gives for
 * it: a payroll update before later bonuses (they see the new values), a bonus for an unknown
 * employee, a deleted employee, and an employee without a last name.
 */
public final class PayrollScenario {
  private final List<SourceRecord> events = new ArrayList<>();
  private final SeedPayrollJoin inner = new SeedPayrollJoin(false);
  private final SeedPayrollJoin left = new SeedPayrollJoin(true);
  private final ChangeEvents payroll;
  private final ChangeEvents bonuses;
  private int nextBonus = 1;

  private PayrollScenario(String prefix) {
    payroll = Payroll.payrollEvents(prefix);
    bonuses = Payroll.bonusEvents(prefix);
  }

  /** Snapshot of four employees, then changes and bonuses interleaved. */
  public static PayrollScenario full(String prefix) {
    PayrollScenario s = new PayrollScenario(prefix);
    Struct sheridan = s.employee(1081, "Sheridan", "Lezemere", 48, 23);
    s.employee(1055, "Ann", "Lee", 30, 40);
    Struct bob = s.employee(1003, "Bob", "Stone", 50, 20);
    s.employee(1004, "Cher", null, 60, 99);
    s.bonus(1081, 25);
    Struct raised = Payroll.employee(s.payroll, 1081, "Sheridan", "Lezemere-Smith", 49, 30);
    s.events.add(s.payroll.update(sheridan, raised));
    s.upsert(raised);
    s.bonus(1081, 10);
    s.bonus(9999, 5);
    s.events.add(s.payroll.delete(bob));
    s.events.add(s.payroll.tombstone(bob));
    s.inner.delete(1003);
    s.left.delete(1003);
    s.bonus(1003, 7);
    s.bonus(1055, 15);
    s.bonus(1004, 1);
    return s;
  }

  /**
   * Only bonuses, for a connector started after {@link #full} ran on the same topics: the join must
   * see the payroll rows it loads from the topic, as after a task restart.
   */
  public static PayrollScenario bonusesAfter(PayrollScenario before) {
    PayrollScenario s = new PayrollScenario(before.payroll.topic().split("\\.")[0]);
    s.nextBonus = 100;
    s.inner.copyTable(before.inner);
    s.left.copyTable(before.left);
    s.bonus(1081, 50);
    s.bonus(1003, 51);
    s.bonus(1055, 52);
    return s;
  }

  private Struct employee(int id, String first, String last, int age, int rate) {
    Struct row = Payroll.employee(payroll, id, first, last, age, rate);
    events.add(payroll.read(row));
    upsert(row);
    return row;
  }

  private void upsert(Struct row) {
    inner.upsert(row);
    left.upsert(row);
  }

  private void bonus(int employeeId, int amount) {
    Struct bonus = Payroll.bonus(bonuses, nextBonus++, employeeId, amount);
    events.add(bonuses.insert(bonus));
    inner.bonus(bonus);
    left.bonus(bonus);
  }

  public List<SourceRecord> events() {
    return List.copyOf(events);
  }

  public String payrollTopic() {
    return payroll.topic();
  }

  public String bonusTopic() {
    return bonuses.topic();
  }

  /** What the seed's join gives: inner (the seed's INNER JOIN) or left. */
  public SeedPayrollJoin expected(boolean leftJoin) {
    return leftJoin ? left : inner;
  }
}

package io.tensorforge.domain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.sim.SlotQueue.Admission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SlotQueueTest {

  @Test
  void admitsUpToTheLimitThenQueuesThenRejects() {
    SlotQueue<String> q = new SlotQueue<>(2, 2);
    assertEquals(Admission.ADMITTED, q.offer("a"));
    assertEquals(Admission.ADMITTED, q.offer("b"));
    assertEquals(Admission.QUEUED, q.offer("c"));
    assertEquals(Admission.QUEUED, q.offer("d"));
    assertEquals(Admission.REJECTED, q.offer("e"));
    assertEquals(2, q.running());
    assertEquals(2, q.waiting());

    assertEquals(List.of("c"), q.release());
    assertEquals(List.of("d"), q.release());
    assertEquals(List.of(), q.release());
    assertEquals(1, q.running());
    assertEquals(0, q.waiting());
  }

  @Test
  void zeroQueueLimitRejectsAsSoonAsTheSlotsAreFull() {
    SlotQueue<String> q = new SlotQueue<>(1, 0);
    assertEquals(Admission.ADMITTED, q.offer("a"));
    assertEquals(Admission.REJECTED, q.offer("b"));
  }

  @Test
  void cancelRemovesOnlyAWaitingItem() {
    SlotQueue<String> q = new SlotQueue<>(1, 3);
    q.offer("a");
    q.offer("b");
    q.offer("c");
    assertTrue(q.cancel("b"));
    assertFalse(q.cancel("b"));
    assertFalse(q.cancel("a"), "a running item is not waiting");
    assertEquals(List.of("c"), q.release());
  }

  @Test
  void raisingTheLimitGrantsWaitingItemsInOrder() {
    SlotQueue<String> q = new SlotQueue<>(1, 5);
    q.offer("a");
    q.offer("b");
    q.offer("c");
    q.offer("d");
    assertEquals(List.of("b", "c"), q.resize(3, 5));
    assertEquals(3, q.running());
    assertEquals(List.of("d"), q.waitingItems());
  }

  @Test
  void loweringTheLimitsNeverEvictsButHoldsBackGrants() {
    SlotQueue<String> q = new SlotQueue<>(2, 3);
    q.offer("a");
    q.offer("b");
    q.offer("c");
    q.offer("d");
    assertEquals(List.of(), q.resize(1, 1));
    assertEquals(2, q.waiting());
    assertEquals(Admission.REJECTED, q.offer("e"));
    assertEquals(List.of(), q.release(), "still one running, at the new limit of one");
    assertEquals(List.of("c"), q.release());
  }

  @Test
  void rejectsBadLimitsAndUnbalancedRelease() {
    assertThrows(IllegalArgumentException.class, () -> new SlotQueue<String>(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SlotQueue<String>(1, -1));
    assertThrows(IllegalStateException.class, () -> new SlotQueue<String>(1, 1).release());
  }

  /** Random offers, releases and cancels: the limits hold and slots are granted first come first served. */
  @Property(tries = 300)
  void neverExceedsItsLimitsAndIsFifo(
      @ForAll @IntRange(min = 1, max = 4) int maxConcurrent,
      @ForAll @IntRange(min = 0, max = 5) int queueLimit,
      @ForAll("operations") List<Integer> operations) {
    SlotQueue<Integer> q = new SlotQueue<>(maxConcurrent, queueLimit);
    Set<Integer> running = new HashSet<>();
    ArrayDeque<Integer> expectedWaiting = new ArrayDeque<>();
    List<Integer> grantOrder = new ArrayList<>();
    List<Integer> queueOrder = new ArrayList<>();
    int next = 0;
    for (int op : operations) {
      if (op < 5) {
        int item = next++;
        Admission a = q.offer(item);
        if (a == Admission.ADMITTED) {
          assertTrue(expectedWaiting.isEmpty(), "nobody jumps the queue");
          running.add(item);
        } else if (a == Admission.QUEUED) {
          expectedWaiting.addLast(item);
          queueOrder.add(item);
        } else {
          assertEquals(queueLimit, expectedWaiting.size(), "rejected only when the queue is full");
          assertEquals(maxConcurrent, running.size());
        }
      } else if (op < 9) {
        if (running.isEmpty()) {
          continue;
        }
        Integer done = running.iterator().next();
        running.remove(done);
        for (Integer granted : q.release()) {
          assertEquals(expectedWaiting.pollFirst(), granted, "FIFO");
          grantOrder.add(granted);
          running.add(granted);
        }
      } else if (!expectedWaiting.isEmpty()) {
        Integer gone = expectedWaiting.pollLast();
        assertTrue(q.cancel(gone));
        queueOrder.remove(gone);
      }
      assertTrue(q.running() <= maxConcurrent, "running within the limit");
      assertTrue(q.waiting() <= queueLimit, "waiting within the queue limit");
      assertEquals(running.size(), q.running());
      assertEquals(List.copyOf(expectedWaiting), q.waitingItems());
    }
    assertEquals(queueOrder.subList(0, grantOrder.size()), grantOrder, "granted in arrival order");
  }

  @Provide
  Arbitrary<List<Integer>> operations() {
    return Arbitraries.integers().between(0, 9).list().ofMaxSize(200);
  }
}

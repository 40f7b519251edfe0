package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensorforge.store.memory.MemoryLimitStore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryLimitStoreTest extends LimitStoreContract {

  private MemoryLimitStore store;

  @BeforeEach
  void build() {
    store = new MemoryLimitStore();
  }

  @Override
  protected LimitStore store() {
    return store;
  }

  /** The memory store's answers are complete at once, so a moved clock gives exact numbers. */
  @Test
  void exactNumbersOnAControlledClock() {
    AtomicLong nowMicros = new AtomicLong(1_700_000_000_000_000L);
    MemoryLimitStore limits = new MemoryLimitStore(nowMicros::get);
    for (int i = 0; i < 10; i++) {
      assertEquals(new LimitDecision(true, 0, 9 - i), limits.acquire("k", 1, 60, 10).result());
    }
    assertEquals(new LimitDecision(false, 1_000, 0), limits.acquire("k", 1, 60, 10).result());
    nowMicros.addAndGet(999_000);
    assertEquals(new LimitDecision(false, 1, 0), limits.acquire("k", 1, 60, 10).result());
    nowMicros.addAndGet(1_000);
    assertEquals(new LimitDecision(true, 0, 0), limits.acquire("k", 1, 60, 10).result());
    assertEquals(new LimitDecision(false, 1_000, 0), limits.acquire("k", 1, 60, 10).result());
  }

  @Test
  void forgetsLimitsThatAreFullAgain() {
    AtomicLong nowMicros = new AtomicLong(1_700_000_000_000_000L);
    MemoryLimitStore limits = new MemoryLimitStore(nowMicros::get);
    limits.acquire("a", 1, 60, 10);
    limits.acquire("b", 1, 60, 10);
    assertEquals(2, limits.size());
    nowMicros.addAndGet(1_000_000); // both full again
    limits.acquire("a", 0, 60, 10);
    assertEquals(1, limits.size(), "a probe of a full limit leaves no state");
    for (int i = 0; i < 1_024; i++) {
      limits.acquire("c", 0, 60, 10);
    }
    assertEquals(0, limits.size(), "the sweep dropped b");
  }
}

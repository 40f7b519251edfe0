package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link LimitStore} adapter must do. The limits run on the adapter's real clock, so
 * most use one unit a minute: nothing refills during a test and the numbers are exact.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class LimitStoreContract {

  /** The store under test, built by the subclass before each test. */
  protected abstract LimitStore store();

  private final String key = "key-" + UUID.randomUUID();

  /** Runs {@code n} calls one after another and collects their answers. */
  static <T> Future<List<T>> inTurn(int n, Supplier<Future<T>> call) {
    Future<List<T>> all = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      all = all.compose(list -> call.get().map(d -> {
        list.add(d);
        return list;
      }));
    }
    return all;
  }

  @Test
  void admitsExactlyTheBurstThenRefusesForOneInterval(VertxTestContext ctx) {
    inTurn(11, () -> store().acquire(key, 1, 1, 10)).onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
      for (int i = 0; i < 10; i++) {
        assertEquals(new LimitDecision(true, 0, 9 - i), ds.get(i), "request " + (i + 1));
      }
      LimitDecision eleventh = ds.get(10);
      assertFalse(eleventh.allowed());
      assertEquals(0, eleventh.remaining());
      // one unit a minute: the next is due 60 s after the first, less the ms the test took
      assertTrue(eleventh.retryAfterMs() > 55_000 && eleventh.retryAfterMs() <= 60_000, "retryAfter " + eleventh.retryAfterMs());
      ctx.completeNow();
    })));
  }

  @Test
  void admitsExactlyTheBurstUnderConcurrentRequests(VertxTestContext ctx) {
    List<Future<LimitDecision>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(store().acquire(key, 1, 1, 5));
    }
    Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      long allowed = calls.stream().filter(f -> f.result().allowed()).count();
      assertEquals(5, allowed);
      ctx.completeNow();
    })));
  }

  @Test
  void tokenCostsAreTakenWholeAndRetryAfterCoversTheMissingPart(VertxTestContext ctx) {
    // 6,000 tokens a minute = 100 a second, burst 1,000
    store().acquire(key, 800, 6_000, 1_000)
        .compose(first -> store().acquire(key, 700, 6_000, 1_000).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          assertEquals(new LimitDecision(true, 0, 200), ds.get(0));
          LimitDecision refused = ds.get(1);
          assertFalse(refused.allowed());
          // 500 missing tokens at 100 a second, less what refilled while the test ran
          assertTrue(refused.retryAfterMs() > 4_000 && refused.retryAfterMs() <= 5_000, "retryAfter " + refused.retryAfterMs());
          assertTrue(refused.remaining() >= 200 && refused.remaining() < 300, "remaining " + refused.remaining());
          ctx.completeNow();
        })));
  }

  @Test
  void aCostAboveTheBurstIsNeverAdmitted(VertxTestContext ctx) {
    store().acquire(key, 11, 60, 10)
        .compose(never -> store().acquire(key, 10, 60, 10).map(whole -> List.of(never, whole)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          assertEquals(new LimitDecision(false, LimitDecision.NEVER, 10), ds.get(0));
          assertEquals(new LimitDecision(true, 0, 0), ds.get(1), "the whole burst at once is fine");
          ctx.completeNow();
        })));
  }

  @Test
  void adjustRefundsUnusedUnits(VertxTestContext ctx) {
    store().acquire(key, 10, 1, 10)
        .compose(d -> store().adjust(key, -4, 1, 10))
        .compose(v -> inTurn(2, () -> store().acquire(key, 4, 1, 10)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          assertEquals(new LimitDecision(true, 0, 0), ds.get(0), "the 4 refunded units are back");
          assertFalse(ds.get(1).allowed(), "and no more");
          ctx.completeNow();
        })));
  }

  @Test
  void adjustChargesPastTheBurstAndIsNeverRefused(VertxTestContext ctx) {
    store().adjust(key, 15, 1, 10)
        .compose(v -> store().acquire(key, 1, 1, 10))
        .compose(inDebt -> store().adjust(key, -15, 1, 10)
            .compose(v -> store().acquire(key, 10, 1, 10))
            .map(whole -> List.of(inDebt, whole)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          LimitDecision inDebt = ds.get(0);
          assertFalse(inDebt.allowed());
          assertEquals(0, inDebt.remaining());
          // 15 units charged, 9 must drain before 1 fits: 6 units at one a minute
          assertTrue(inDebt.retryAfterMs() > 355_000 && inDebt.retryAfterMs() <= 360_000, "retryAfter " + inDebt.retryAfterMs());
          assertEquals(new LimitDecision(true, 0, 0), ds.get(1), "refunding the charge restores the full burst");
          ctx.completeNow();
        })));
  }

  @Test
  void aRefundNeverFillsBeyondTheBurst(VertxTestContext ctx) {
    store().adjust(key, -100, 1, 10)
        .compose(v -> inTurn(2, () -> store().acquire(key, 10, 1, 10)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          assertTrue(ds.get(0).allowed());
          assertFalse(ds.get(1).allowed());
          ctx.completeNow();
        })));
  }

  @Test
  void keysAreIndependent(VertxTestContext ctx) {
    String other = key + "-other";
    store().acquire(key, 10, 1, 10)
        .compose(d -> store().acquire(other, 1, 1, 10))
        .onComplete(ctx.succeeding(d -> ctx.verify(() -> {
          assertEquals(new LimitDecision(true, 0, 9), d);
          ctx.completeNow();
        })));
  }

  @Test
  void outOfBoundsArgumentsFailTheFuture(VertxTestContext ctx) {
    Future.join(List.of(
            store().acquire(key, 1, 0, 10),
            store().acquire(key, 1, 60, 0),
            store().acquire(key, -1, 60, 10),
            store().adjust(key, 1, 60, 0)))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertInstanceOf(IllegalArgumentException.class, err);
          ctx.completeNow();
        })));
  }
}

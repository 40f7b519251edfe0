package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What every {@link BudgetStore} adapter must do, to the last pico-dollar. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class BudgetStoreContract {

  /** The store under test, built by the subclass before each test. */
  protected abstract BudgetStore store();

  private final String tenant = "tenant-" + UUID.randomUUID();

  static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  static void assertUsd(String expected, BigDecimal actual) {
    assertEquals(0, usd(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual.toPlainString());
  }

  @Test
  void reservesUpToTheBudgetExactlyAndNotOnePicoDollarMore(VertxTestContext ctx) {
    BigDecimal budget = usd("1.00");
    List<BudgetDecision> ds = new ArrayList<>();
    store().reserve(tenant, usd("0.40"), budget).map(ds::add)
        .compose(v -> store().reserve(tenant, usd("0.60"), budget)).map(ds::add)
        .compose(v -> store().reserve(tenant, usd("0.000000000001"), budget)).map(ds::add)
        .compose(v -> store().snapshot(tenant))
        .onComplete(ctx.succeeding(snap -> ctx.verify(() -> {
          assertTrue(ds.get(0).allowed());
          assertNotNull(ds.get(0).reservationId());
          assertUsd("0.60", ds.get(0).available());
          assertTrue(ds.get(1).allowed());
          assertUsd("0", ds.get(1).available());
          assertFalse(ds.get(2).allowed());
          assertNull(ds.get(2).reservationId());
          assertUsd("0", ds.get(2).available());
          assertUsd("0", snap.spent());
          assertUsd("1.00", snap.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void fiftyConcurrentReservesAgainstABudgetForFiveReserveExactlyFive(VertxTestContext ctx) {
    List<Future<BudgetDecision>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(store().reserve(tenant, usd("0.0105"), usd("0.0525")));
    }
    Future.all(calls).compose(all -> store().snapshot(tenant))
        .onComplete(ctx.succeeding(snap -> ctx.verify(() -> {
          assertEquals(5, calls.stream().filter(f -> f.result().allowed()).count());
          assertEquals(5, calls.stream().map(f -> f.result().reservationId()).filter(id -> id != null).distinct().count());
          assertUsd("0.0525", snap.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void settleReleasesTheReservationAndRecordsTheActualCostOnce(VertxTestContext ctx) {
    BigDecimal budget = usd("1.00");
    store().reserve(tenant, usd("0.40"), budget)
        .compose(r -> store().settle(tenant, r.reservationId(), usd("0.25"))
            .compose(v -> store().snapshot(tenant))
            .compose(once -> store().settle(tenant, r.reservationId(), usd("0.25"))
                .compose(v -> store().settle(tenant, r.reservationId(), usd("0.99")))
                .compose(v -> store().snapshot(tenant))
                .map(twice -> List.of(once, twice))))
        .compose(snaps -> store().reserve(tenant, usd("0.75"), budget)
            .compose(fits -> store().reserve(tenant, usd("0.000000000001"), budget)
                .map(over -> List.of(snaps.get(0), snaps.get(1), fits, over))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          BudgetSnapshot once = (BudgetSnapshot) all.get(0);
          BudgetSnapshot twice = (BudgetSnapshot) all.get(1);
          assertUsd("0.25", once.spent());
          assertUsd("0", once.reserved());
          assertUsd("0.25", twice.spent());
          assertUsd("0", twice.reserved());
          assertTrue(((BudgetDecision) all.get(2)).allowed(), "what the settlement released can be reserved again");
          assertFalse(((BudgetDecision) all.get(3)).allowed());
          ctx.completeNow();
        })));
  }

  @Test
  void settlingAnUnknownReservationChangesNothing(VertxTestContext ctx) {
    store().reserve(tenant, usd("0.10"), usd("1"))
        .compose(r -> store().settle(tenant, "no-such-reservation", usd("0.50")))
        .compose(v -> store().settle("another-" + tenant, "no-such-reservation", usd("0.50")))
        .compose(v -> store().snapshot(tenant))
        .onComplete(ctx.succeeding(snap -> ctx.verify(() -> {
          assertUsd("0", snap.spent());
          assertUsd("0.10", snap.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void anActualCostAboveItsReservationIsRecordedAndLaterReservesAreRefused(VertxTestContext ctx) {
    BigDecimal budget = usd("0.01");
    store().reserve(tenant, usd("0.008"), budget)
        .compose(r -> store().settle(tenant, r.reservationId(), usd("0.0105")))
        .compose(v -> store().reserve(tenant, usd("0"), budget))
        .compose(d -> store().snapshot(tenant).map(s -> List.of(d, s)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          BudgetDecision refused = (BudgetDecision) all.get(0);
          BudgetSnapshot snap = (BudgetSnapshot) all.get(1);
          assertFalse(refused.allowed(), "spent is past the budget: even nothing does not fit");
          assertUsd("-0.0005", refused.available());
          assertUsd("0.0105", snap.spent());
          assertUsd("0", snap.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void sumsOfTinyAndLargeAmountsAreExact(VertxTestContext ctx) {
    BigDecimal budget = usd("9000000");
    store().reserve(tenant, usd("0.00000015"), budget)
        .compose(a -> store().settle(tenant, a.reservationId(), usd("0.00000015")))
        .compose(v -> store().reserve(tenant, usd("120000"), budget))
        .compose(b -> store().settle(tenant, b.reservationId(), usd("120000.000000000001")))
        .compose(v -> store().reserve(tenant, usd("8879999.999999849999"), budget))
        .compose(c -> store().snapshot(tenant).map(s -> List.of(c, s)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          BudgetDecision last = (BudgetDecision) all.get(0);
          BudgetSnapshot snap = (BudgetSnapshot) all.get(1);
          assertTrue(last.allowed(), "exactly the rest of the budget fits");
          assertUsd("0", last.available());
          assertUsd("120000.000000150001", snap.spent());
          assertUsd("8879999.999999849999", snap.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void tenantsAreIndependent(VertxTestContext ctx) {
    store().reserve(tenant, usd("1"), usd("1"))
        .compose(d -> store().reserve(tenant + "-other", usd("1"), usd("1")))
        .compose(d -> store().snapshot("never-" + tenant).map(s -> List.of(d, s)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertTrue(((BudgetDecision) all.get(0)).allowed());
          BudgetSnapshot none = (BudgetSnapshot) all.get(1);
          assertUsd("0", none.spent());
          assertUsd("0", none.reserved());
          ctx.completeNow();
        })));
  }

  @Test
  void amountsBeyondPicoPrecisionOrNegativeFailTheFuture(VertxTestContext ctx) {
    Future<BudgetDecision> tooPrecise = store().reserve(tenant, usd("0.0000000000001"), usd("1"));
    Future<BudgetDecision> negative = store().reserve(tenant, usd("-0.01"), usd("1"));
    Future<Void> negativeActual = store().settle(tenant, "x", usd("-1"));
    Future.join(tooPrecise, negative, negativeActual).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertInstanceOf(ArithmeticException.class, tooPrecise.cause());
      assertInstanceOf(IllegalArgumentException.class, negative.cause());
      assertInstanceOf(IllegalArgumentException.class, negativeActual.cause());
      ctx.completeNow();
    })));
  }
}

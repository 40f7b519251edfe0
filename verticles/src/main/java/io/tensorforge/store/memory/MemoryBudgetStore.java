package io.tensorforge.store.memory;

import io.tensorforge.domain.cost.Cost;
import io.tensorforge.store.BudgetDecision;
import io.tensorforge.store.BudgetSnapshot;
import io.tensorforge.store.BudgetStore;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Budgets for this node only, in exact integer pico-USD (as the Redis adapter stores them), in
 * plain {@link HashMap}s. Answers at once, with already-completed futures.
 *
 * <p><b>Not thread-safe.</b> Call it from one context only (the verticle that owns it).
 */
public final class MemoryBudgetStore implements BudgetStore {

  /** One tenant: settled spend, the sum of open reservations, and the open reservations. */
  private static final class Account {
    long spent;
    long reserved;
    final Map<String, Long> reservations = new HashMap<>();
  }

  private final Map<String, Account> accounts = new HashMap<>();

  @Override
  public Future<BudgetDecision> reserve(String tenant, BigDecimal amount, BigDecimal budget) {
    try {
      Objects.requireNonNull(tenant, "tenant");
      long want = BudgetStore.picoUsd("amount", amount);
      long limit = BudgetStore.picoUsd("budget", budget);
      Account a = accounts.computeIfAbsent(tenant, t -> new Account());
      long committed = Math.addExact(a.spent, a.reserved);
      long after = Math.addExact(committed, want);
      if (after > limit) {
        return Future.succeededFuture(new BudgetDecision(false, null, Cost.fromPicoUsd(limit - committed)));
      }
      String id = UUID.randomUUID().toString();
      a.reserved += want;
      a.reservations.put(id, want);
      return Future.succeededFuture(new BudgetDecision(true, id, Cost.fromPicoUsd(limit - after)));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> settle(String tenant, String reservationId, BigDecimal actual) {
    try {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(reservationId, "reservationId");
      long spend = BudgetStore.picoUsd("actual", actual);
      Account a = accounts.get(tenant);
      Long held = a == null ? null : a.reservations.get(reservationId);
      if (held == null) {
        return Future.succeededFuture(); // settled before, or never reserved
      }
      long spent = Math.addExact(a.spent, spend);
      a.reservations.remove(reservationId);
      a.reserved -= held;
      a.spent = spent;
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String tenant) {
    if (tenant == null) {
      return Future.failedFuture(new NullPointerException("tenant"));
    }
    Account a = accounts.get(tenant);
    return Future.succeededFuture(a == null
        ? new BudgetSnapshot(Cost.fromPicoUsd(0), Cost.fromPicoUsd(0))
        : new BudgetSnapshot(Cost.fromPicoUsd(a.spent), Cost.fromPicoUsd(a.reserved)));
  }
}

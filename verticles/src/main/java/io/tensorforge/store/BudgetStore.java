package io.tensorforge.store;

import io.tensorforge.domain.cost.Cost;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Port: spend budgets per tenant. A request reserves its estimated cost before it runs and
 * settles with its real cost afterwards. Money is {@link BigDecimal} USD, exact to 12 decimal
 * places (pico-USD), up to about 9.22 million USD per tenant; an amount with more precision, or
 * negative, gives a failed future.
 *
 * <p>A tenant's budget never covers more than {@code budget}: {@code reserve} is atomic and only
 * succeeds while {@code spent + reserved + amount <= budget}. Only a settlement's actual cost
 * beyond its reservation can take {@code spent} past the budget (usage that has happened is
 * recorded); later reservations are then refused. The budget is passed on each call, so a change
 * of budget takes effect at once; a period (a month) is part of the tenant key the caller passes,
 * e.g. {@code "acme:2025-06"}. A reservation that is never settled holds its amount until settled.
 */
public interface BudgetStore {

  /** Reserves {@code amount} if it fits under {@code budget}; answers the reservation id or a refusal. */
  Future<BudgetDecision> reserve(String tenant, BigDecimal amount, BigDecimal budget);

  /**
   * Releases the reservation and adds {@code actual} to the tenant's spend. Idempotent: settling
   * an id that is not held (already settled, or never reserved) changes nothing.
   */
  Future<Void> settle(String tenant, String reservationId, BigDecimal actual);

  /** What the tenant has spent and holds reserved. */
  Future<BudgetSnapshot> snapshot(String tenant);

  /**
   * An amount as pico-USD for an adapter: throws {@link IllegalArgumentException} if it is
   * negative, or {@link ArithmeticException} if it has more than 12 decimal places or is too large.
   */
  static long picoUsd(String what, BigDecimal usd) {
    Objects.requireNonNull(usd, what);
    if (usd.signum() < 0) {
      throw new IllegalArgumentException(what + " must be >= 0: " + usd.toPlainString());
    }
    return Cost.toPicoUsd(usd);
  }
}

package io.tensorforge.store;

import java.math.BigDecimal;

/**
 * A budget store's answer to a reservation.
 *
 * @param allowed whether the amount was reserved
 * @param reservationId the id to settle with; {@code null} when refused
 * @param available {@code budget - spent - reserved} after this decision (negative when actual
 *     costs overshot their reservations)
 */
public record BudgetDecision(boolean allowed, String reservationId, BigDecimal available) {}

package io.tensorforge.store;

import java.math.BigDecimal;

/** A tenant's spend (settled actual costs) and the amounts held by open reservations, in USD. */
public record BudgetSnapshot(BigDecimal spent, BigDecimal reserved) {}

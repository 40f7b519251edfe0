package io.tensorforge.admission;

import java.math.BigDecimal;

/**
 * Admission said yes. The request must be settled once with {@link Settlement}, whatever its end.
 *
 * @param reservationId the budget reservation, or null when the tenant has no budget
 * @param estimatedCost what the estimate costs at the model's price, in USD
 */
public record AdmissionGrant(String reservationId, BigDecimal estimatedCost) {}

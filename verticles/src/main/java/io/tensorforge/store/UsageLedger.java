package io.tensorforge.store;

import io.vertx.core.Future;
import java.math.BigDecimal;

/** Port: metered usage and spend per tenant, model and key. Money is BigDecimal, never double. */
public interface UsageLedger {

  Future<Void> record(String tenant, String model, String keyId, long inputTokens, long outputTokens, BigDecimal cost);
}

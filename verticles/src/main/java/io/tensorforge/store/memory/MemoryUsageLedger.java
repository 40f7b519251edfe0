package io.tensorforge.store.memory;

import io.tensorforge.store.UsageLedger;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage of this node kept in memory, one running total per tenant, model and key (so memory
 * grows with the number of those, not with traffic). Call from one context.
 */
public final class MemoryUsageLedger implements UsageLedger {

  /** The totals of one tenant, model and key. */
  public record Row(String tenant, String model, String keyId, long requests, long inputTokens, long outputTokens,
                    BigDecimal cost) {}

  private record Account(String tenant, String model, String keyId) {}

  private final Map<Account, Row> rows = new LinkedHashMap<>();

  @Override
  public Future<Void> record(String tenant, String model, String keyId, long inputTokens, long outputTokens, BigDecimal cost) {
    rows.merge(new Account(tenant, model, keyId), new Row(tenant, model, keyId, 1, inputTokens, outputTokens, cost),
        (a, b) -> new Row(tenant, model, keyId, a.requests() + 1, Math.addExact(a.inputTokens(), b.inputTokens()),
            Math.addExact(a.outputTokens(), b.outputTokens()), a.cost().add(b.cost())));
    return Future.succeededFuture();
  }

  public List<Row> rows() {
    return new ArrayList<>(rows.values());
  }
}

package io.tensorforge.admission;

import io.tensorforge.store.memory.MemoryUsageLedger.Row;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The JSON of {@code GET /api/usage}: totals per tenant, model and key, and overall; money as exact decimal strings. */
final class UsageView {

  private UsageView() {}

  static JsonObject of(List<Row> rows) {
    return new JsonObject()
        .put("byTenant", grouped(rows, Row::tenant))
        .put("byModel", grouped(rows, Row::model))
        .put("byKey", grouped(rows, Row::keyId))
        .put("total", totals(rows))
        .put("rows", new JsonArray(rows.stream().map(r -> totals(List.of(r))
            .put("tenant", r.tenant()).put("model", r.model()).put("keyId", r.keyId())).toList()));
  }

  private static JsonObject grouped(List<Row> rows, Function<Row, String> key) {
    Map<String, List<Row>> groups = new TreeMap<>();
    rows.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new java.util.ArrayList<>()).add(r));
    JsonObject out = new JsonObject();
    groups.forEach((k, v) -> out.put(k, totals(v)));
    return out;
  }

  private static JsonObject totals(List<Row> rows) {
    long requests = 0;
    long input = 0;
    long output = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (Row r : rows) {
      requests += r.requests();
      input += r.inputTokens();
      output += r.outputTokens();
      cost = cost.add(r.cost());
    }
    return new JsonObject().put("requests", requests).put("inputTokens", input).put("outputTokens", output)
        .put("costUsd", cost.toPlainString());
  }
}

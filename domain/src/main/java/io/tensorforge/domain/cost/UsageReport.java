package io.tensorforge.domain.cost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Usage and spend summed per tenant, per model, per API key and overall. Costs are added as
 * {@link BigDecimal}, never rounded, so every total is exactly the sum of its lines.
 *
 * <p>Not thread-safe: one owner adds lines and reads the totals.
 */
public final class UsageReport {

  /** One metered request. */
  public record Line(String tenant, String model, String keyId, long inputTokens, long outputTokens, BigDecimal cost) {

    public Line {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(cost, "cost");
      if (inputTokens < 0 || outputTokens < 0) {
        throw new IllegalArgumentException("token counts must be >= 0: " + inputTokens + ", " + outputTokens);
      }
    }
  }

  /** Sums over some lines. */
  public record Totals(long requests, long inputTokens, long outputTokens, BigDecimal cost) {

    public static final Totals ZERO = new Totals(0, 0, 0, BigDecimal.ZERO);

    Totals plus(Line line) {
      return new Totals(Math.addExact(requests, 1), Math.addExact(inputTokens, line.inputTokens()),
          Math.addExact(outputTokens, line.outputTokens()), cost.add(line.cost()));
    }
  }

  private final List<Line> lines = new ArrayList<>();
  private final SortedMap<String, Totals> byTenant = new TreeMap<>();
  private final SortedMap<String, Totals> byModel = new TreeMap<>();
  private final SortedMap<String, Totals> byKey = new TreeMap<>();
  private Totals total = Totals.ZERO;

  public UsageReport add(Line line) {
    Objects.requireNonNull(line, "line");
    Totals newTotal = total.plus(line); // first, so an overflow leaves the report unchanged
    lines.add(line);
    byTenant.merge(line.tenant(), Totals.ZERO.plus(line), (a, b) -> a.plus(line));
    byModel.merge(line.model(), Totals.ZERO.plus(line), (a, b) -> a.plus(line));
    byKey.merge(line.keyId(), Totals.ZERO.plus(line), (a, b) -> a.plus(line));
    total = newTotal;
    return this;
  }

  public UsageReport add(String tenant, String model, String keyId, long inputTokens, long outputTokens, BigDecimal cost) {
    return add(new Line(tenant, model, keyId, inputTokens, outputTokens, cost));
  }

  /** The lines in the order they were added. */
  public List<Line> lines() {
    return Collections.unmodifiableList(lines);
  }

  /** Totals per tenant, sorted by tenant. */
  public Map<String, Totals> byTenant() {
    return Collections.unmodifiableSortedMap(byTenant);
  }

  /** Totals per model, sorted by model. */
  public Map<String, Totals> byModel() {
    return Collections.unmodifiableSortedMap(byModel);
  }

  /** Totals per API key id, sorted by key id. */
  public Map<String, Totals> byKey() {
    return Collections.unmodifiableSortedMap(byKey);
  }

  /** Totals over every line. */
  public Totals total() {
    return total;
  }
}

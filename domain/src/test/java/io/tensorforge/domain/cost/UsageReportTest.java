package io.tensorforge.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UsageReportTest {

  @Test
  void totalsPerTenantModelKeyAndOverall() {
    Price sonnet = Price.of("3.00", "15.00");
    Price mini = Price.of("0.15", "0.60");
    UsageReport report = new UsageReport()
        .add("acme", "sonnet", "k1", 1_000, 500, Cost.of(sonnet, 1_000, 500))   // 0.0105
        .add("acme", "mini", "k1", 1, 0, Cost.of(mini, 1, 0))                   // 0.00000015
        .add("globex", "sonnet", "k2", 2_000, 0, Cost.of(sonnet, 2_000, 0));    // 0.006

    assertEquals(new BigDecimal("0.01650015"), report.total().cost().stripTrailingZeros());
    assertEquals(3, report.total().requests());
    assertEquals(3_001, report.total().inputTokens());
    assertEquals(500, report.total().outputTokens());

    assertEquals(new BigDecimal("0.01050015"), report.byTenant().get("acme").cost().stripTrailingZeros());
    assertEquals(new BigDecimal("0.006"), report.byTenant().get("globex").cost().stripTrailingZeros());
    assertEquals(new BigDecimal("0.0165"), report.byModel().get("sonnet").cost().stripTrailingZeros());
    assertEquals(new BigDecimal("0.00000015"), report.byModel().get("mini").cost().stripTrailingZeros());
    assertEquals(2, report.byKey().get("k1").requests());
    assertEquals(List.of("acme", "globex"), List.copyOf(report.byTenant().keySet()));
    assertEquals(3, report.lines().size());
  }

  @Test
  void anEmptyReportIsZero() {
    UsageReport report = new UsageReport();
    assertEquals(UsageReport.Totals.ZERO, report.total());
    assertEquals(Map.of(), report.byTenant());
  }

  @Provide
  Arbitrary<List<UsageReport.Line>> lines() {
    Arbitrary<BigDecimal> costs = Combinators.combine(
        Arbitraries.longs().between(0, Long.MAX_VALUE / 4), Arbitraries.integers().between(0, 18))
        .as(BigDecimal::valueOf);
    return Combinators.combine(
            Arbitraries.of("acme", "globex", "initech"),
            Arbitraries.of("sonnet", "mini", "llama"),
            Arbitraries.of("k1", "k2", "k3", "k4"),
            Arbitraries.longs().between(0, 10_000_000),
            Arbitraries.longs().between(0, 10_000_000),
            costs)
        .as(UsageReport.Line::new)
        .list().ofMaxSize(300);
  }

  @Property(tries = 300)
  void totalsEqualTheSumOfTheLinesToTheLastDigit(@ForAll("lines") List<UsageReport.Line> lines) {
    UsageReport report = new UsageReport();
    lines.forEach(report::add);

    // an independent exact sum: every cost as an integer count of 10^-18 USD
    BigInteger expected = BigInteger.ZERO;
    long in = 0;
    long out = 0;
    for (UsageReport.Line l : lines) {
      expected = expected.add(l.cost().setScale(18).unscaledValue());
      in += l.inputTokens();
      out += l.outputTokens();
    }
    assertEquals(expected, report.total().cost().setScale(18).unscaledValue());
    assertEquals(in, report.total().inputTokens());
    assertEquals(out, report.total().outputTokens());
    assertEquals(lines.size(), report.total().requests());

    for (Map<String, UsageReport.Totals> groups : List.of(report.byTenant(), report.byModel(), report.byKey())) {
      BigDecimal sum = groups.values().stream().map(UsageReport.Totals::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
      long requests = groups.values().stream().mapToLong(UsageReport.Totals::requests).sum();
      assertEquals(expected, sum.setScale(18).unscaledValue());
      assertEquals(lines.size(), requests);
    }
  }
}

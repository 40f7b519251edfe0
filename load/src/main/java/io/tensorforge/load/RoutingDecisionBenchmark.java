package io.tensorforge.load;

import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.LatencyEstimate;
import io.tensorforge.domain.routing.RoutingChoice;
import io.tensorforge.domain.routing.RoutingStrategies;
import io.tensorforge.domain.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing decisions per second by strategy and fleet size. round-robin is the baseline:
 * the cheapest possible pick, blind to speed and load.
 *
 * <pre>java -jar load/target/benchmarks.jar RoutingDecisionBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RoutingDecisionBenchmark {

  @Param({"3", "16", "1000"})
  int endpoints;

  @Param({"round-robin", "least-outstanding", "p2c-latency"})
  String strategy;

  private List<EndpointState> fleet;
  private RoutingStrategy router;
  private final SplittableRandom random = new SplittableRandom(7);
  private long now = 1_000_000;

  @Setup
  public void setUp() {
    fleet = new ArrayList<>(endpoints);
    SplittableRandom seed = new SplittableRandom(42);
    for (int i = 0; i < endpoints; i++) {
      EndpointState e = new EndpointState(new EndpointSpec("e" + i, "http://127.0.0.1:" + (10_000 + i), List.of("m"), 16),
          true, new LatencyEstimate(5_000, 0));
      e.latency().observe(5 + seed.nextDouble() * 200, now);
      for (int lease = 0; lease < seed.nextInt(8); lease++) {
        e.start(i * 100L + lease, now - seed.nextInt(50));
      }
      fleet.add(e);
    }
    router = RoutingStrategies.create(strategy);
  }

  @Benchmark
  public RoutingChoice choose() {
    now++;
    return router.choose(fleet, now, random).orElseThrow();
  }
}

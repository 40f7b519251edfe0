package io.tensorforge.load;

import io.tensorforge.domain.intake.Admission;
import io.tensorforge.domain.intake.Dispatch;
import io.tensorforge.domain.intake.Lease;
import io.tensorforge.domain.intake.Scheduler;
import io.tensorforge.domain.intake.SchedulerSettings;
import io.tensorforge.domain.intake.Ticket;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.RoutingStrategies;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scheduler decisions per second in steady state: 1,000 endpoints of one model (4 slots each,
 * busy as far as the strategy fills them; set-up runs 200,000 cycles first, and the tear-down line
 * prints how many slots stay idle) and 100,000 requests waiting. One operation is one cycle: release the oldest
 * lease (which dispatches the next waiting request through the fair queue and the model's
 * routing strategy) and admit one new request (which queues behind the others).
 *
 * <p>{@code shape=fair}: 1,000 tenants in 3 priority classes with token costs from 10 to 2,000;
 * {@code shape=single}: one tenant, one class. The baseline is {@code strategy=round-robin,
 * shape=single}, the cheapest path through the same code; {@code JmhTable} prints each row's
 * ratio to it.
 *
 * <p>The secondary counters ({@code dispatched}, {@code queued}, {@code refused}, {@code shed},
 * per µs) show whether the cycle stayed a steady state: in a work-conserving scheduler each
 * release dispatches one waiting request, so {@code dispatched} equals the cycle rate.
 * Numbers in load/BENCHMARKS.md come from a shared 2-core machine.
 *
 * <pre>java -jar load/target/benchmarks.jar SchedulerBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SchedulerBenchmark {

  static final String MODEL = "m";

  @Param({"p2c-latency", "round-robin"})
  String strategy;

  @Param({"fair", "single"})
  String shape;

  @Param({"1000"})
  int endpoints;

  @Param({"100000"})
  int queued;

  /** Slots per endpoint. */
  static final int SLOTS = 4;
  static final int TENANTS = 1_000;
  /** Completions per simulated ms of the whole fleet (4,000 slots at ~100 ms): the clock advances 1 ms every this many cycles. */
  static final int CYCLES_PER_MS = 40;
  static final long FAR_DEADLINE = 1L << 50;
  /** Cycles run at set-up so that the measured ones start from a steady state. */
  static final int CONDITIONING_CYCLES = 200_000;

  private Scheduler scheduler;
  private final ArrayDeque<Lease> leases = new ArrayDeque<>();
  private double[] nominalLatencyMs;
  private String[] tenantNames;
  private final SplittableRandom random = new SplittableRandom(11);
  private long now = 1_000_000;
  private long nextTicket = 1;
  private long cycles;

  /** Events per iteration, reported by JMH as rates next to the cycle rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long dispatched;
    public long queued;
    public long refused;
    public long shed;

    @Setup(Level.Iteration)
    public void reset() {
      dispatched = 0;
      queued = 0;
      refused = 0;
      shed = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    scheduler = new Scheduler(new SchedulerSettings(queued * 2, queued * 2, 5_000, 0, 1_000, Map.of()),
        model -> RoutingStrategies.create(strategy), new SplittableRandom(7));
    nominalLatencyMs = new double[endpoints];
    SplittableRandom seed = new SplittableRandom(42);
    for (int i = 0; i < endpoints; i++) {
      nominalLatencyMs[i] = 20 + seed.nextDouble() * 180;
      scheduler.upsertEndpoint(new EndpointSpec("e" + i, "http://127.0.0.1:" + (10_000 + i), List.of(MODEL), SLOTS), true, now);
    }
    tenantNames = new String[TENANTS];
    for (int i = 0; i < TENANTS; i++) {
      tenantNames[i] = "tenant-" + i;
    }
    // fill every slot while no latency is known, then teach each endpoint its latency
    Counters none = new Counters();
    for (int i = 0; i < endpoints * SLOTS; i++) {
      admit(none);
    }
    List<Lease> first = new ArrayList<>(leases);
    leases.clear();
    for (Lease l : first) {
      scheduler.release(l.id(), latencyOf(l), true, now);
    }
    // fill the queue, run cycles until the number of busy slots settles, top the queue up again
    while (scheduler.queueDepth() < queued) {
      admit(none);
    }
    for (int i = 0; i < CONDITIONING_CYCLES; i++) {
      cycle(none);
    }
    while (scheduler.queueDepth() < queued) {
      admit(none);
    }
    System.out.printf("%n[%s/%s] steady state: queue %d, leases held %d of %d slots%n",
        strategy, shape, scheduler.queueDepth(), scheduler.leasesHeld(), endpoints * SLOTS);
  }

  @TearDown(Level.Trial)
  public void report() {
    int busy = scheduler.leasesHeld();
    System.out.printf("%n[%s/%s] after %d cycles: queue %d, leases held %d of %d slots (%d idle while requests wait)%n",
        strategy, shape, cycles, scheduler.queueDepth(), busy, endpoints * SLOTS, endpoints * SLOTS - busy);
  }

  @Benchmark
  public int cycle(Counters counters) {
    if (++cycles % CYCLES_PER_MS == 0) {
      now++;
    }
    Lease oldest = leases.poll();
    int started = 0;
    if (oldest != null) {
      List<Dispatch> dispatches = scheduler.release(oldest.id(), latencyOf(oldest), true, now);
      for (int i = 0; i < dispatches.size(); i++) {
        leases.add(dispatches.get(i).lease());
      }
      started = dispatches.size();
      counters.dispatched += started;
    }
    return started + admit(counters);
  }

  private double latencyOf(Lease lease) {
    int i = Integer.parseInt(lease.endpointId(), 1, lease.endpointId().length(), 10);
    return nominalLatencyMs[i] * (0.9 + random.nextDouble() * 0.2);
  }

  private int admit(Counters counters) {
    Ticket ticket;
    if ("single".equals(shape)) {
      ticket = new Ticket(nextTicket++, MODEL, "tenant-0", Priority.STANDARD, now, FAR_DEADLINE, 100);
    } else {
      int r = random.nextInt(10);
      Priority p = r < 2 ? Priority.CRITICAL : r < 6 ? Priority.STANDARD : Priority.SHEDDABLE;
      ticket = new Ticket(nextTicket++, MODEL, tenantNames[random.nextInt(TENANTS)], p, now, FAR_DEADLINE,
          10 + random.nextInt(1_991));
    }
    Admission a = scheduler.admit(ticket, now);
    if (a instanceof Admission.Started s) {
      leases.add(s.lease());
      counters.dispatched++;
      return 1;
    }
    if (a instanceof Admission.Queued q) {
      counters.queued++;
      counters.shed += q.shed().size();
      return q.depth();
    }
    counters.refused++;
    return -1;
  }
}

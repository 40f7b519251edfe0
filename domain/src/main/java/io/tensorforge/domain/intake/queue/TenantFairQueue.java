package io.tensorforge.domain.intake.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The waiting requests of one model, served by priority class and, within a class, by weighted
 * fair share between tenants counted in tokens. Plain, deterministic Java: it has no clock and
 * no randomness; the same calls always give the same answers.
 *
 * <p>Service order ({@link #peek()} / {@link #poll()}):
 * <ol>
 *   <li><b>Class first.</b> The request comes from the highest class that has a waiting request;
 *       a lower class is served only while every higher class is empty.</li>
 *   <li><b>Tenant by Virtual Token Counter</b> (Sheng et al., "Fairness in Serving Large
 *       Language Models", OSDI 2024). Each tenant has one counter per class, in tokens divided by
 *       the tenant's weight. Among the tenants with a waiting request in the class, the one with
 *       the lowest counter is served; equal counters go to the tenant whose name sorts first
 *       ({@link String#compareTo}). Serving request {@code r} adds
 *       {@code r.costTokens() / weight(tenant)} to that counter.</li>
 *   <li><b>Oldest first within a tenant and class:</b> lowest {@code arrivedAtMs}, then the
 *       order of {@link #add}.</li>
 * </ol>
 *
 * <p>Idle time banks no credit: when a tenant with nothing waiting in a class adds a request to
 * it, its counter is lifted to at least the lowest counter among the tenants waiting in that
 * class or, if none is waiting, to the counter of the tenant that left the class last (as VTC
 * does). A tenant that stays backlogged is never lifted, so between two backlogged tenants the
 * counters differ by at most one request's {@code cost / weight}: the gap in served tokens stays
 * within about one large request. {@link #correct} moves a counter by {@code delta / weight}
 * once real usage is known; a negative correction of an idle tenant is overridden by the lift.
 * A weight change ({@link #setWeight}) applies to later charges and corrections only.
 *
 * <p>Leaving without service ({@link #remove}, {@link #expireDue}) charges nothing.
 * {@link #shedCandidate} names the request to drop for a new arrival: from the lowest class
 * strictly below the arrival's, the newest request of the tenant with the most waiting cost
 * there (ties: the tenant whose name sorts first).
 *
 * <p>Bounds are the caller's: this class admits every request it is given (ids must be unique
 * among the waiting ones). Every operation costs O(log n) in the number of waiting requests and
 * tenants ({@link #expireDue} O(log n) per expired request). A tenant's counters are kept after
 * it stops sending, so memory grows with the number of distinct tenants ever seen.
 *
 * <p>Not thread-safe: one owner (the intake verticle) calls it.
 */
public final class TenantFairQueue {

  private static final Priority[] CLASSES = Priority.values();

  /** Oldest first: arrival time, then the order of {@code add}. */
  private static final Comparator<Entry> OLDEST_FIRST = (a, b) -> {
    int c = Long.compare(a.arrivedAtMs, b.arrivedAtMs);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  };
  private static final Comparator<Entry> EARLIEST_DEADLINE = (a, b) -> {
    int c = Long.compare(a.deadlineAtMs, b.deadlineAtMs);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  };
  /** Lowest counter first, then tenant name. */
  private static final Comparator<Lane> LOWEST_COUNTER = (a, b) -> {
    int c = Double.compare(a.counter, b.counter);
    return c != 0 ? c : a.tenant.compareTo(b.tenant);
  };
  /** Most waiting cost first, then tenant name. */
  private static final Comparator<Lane> MOST_COST = (a, b) -> {
    int c = Long.compare(b.waitingCost, a.waitingCost);
    return c != 0 ? c : a.tenant.compareTo(b.tenant);
  };

  private final Map<String, Double> weights;
  private final double defaultWeight;
  private final ClassQueue[] classes = new ClassQueue[CLASSES.length];
  private final Map<Long, Entry> byId = new HashMap<>();
  private final TreeSet<Entry> byDeadline = new TreeSet<>(EARLIEST_DEADLINE);
  private final Map<String, Integer> waitingByTenant = new HashMap<>();
  private long nextSeq;

  /**
   * @param weights       the weight of each named tenant, each finite and greater than zero
   * @param defaultWeight the weight of every other tenant, finite and greater than zero
   */
  public TenantFairQueue(Map<String, Double> weights, double defaultWeight) {
    Objects.requireNonNull(weights, "weights");
    this.defaultWeight = checkWeight("defaultWeight", defaultWeight);
    this.weights = new HashMap<>();
    weights.forEach((tenant, w) -> this.weights.put(Objects.requireNonNull(tenant, "tenant"),
        checkWeight("weight of '" + tenant + "'", w == null ? Double.NaN : w)));
    for (int i = 0; i < classes.length; i++) {
      classes[i] = new ClassQueue();
    }
  }

  // ---------------------------------------------------------------- configuration

  /** Sets a tenant's weight (finite, greater than zero) for later charges and corrections. */
  public void setWeight(String tenant, double weight) {
    Objects.requireNonNull(tenant, "tenant");
    weights.put(tenant, checkWeight("weight of '" + tenant + "'", weight));
  }

  /** The tenant's weight: its own, or the default. */
  public double weight(String tenant) {
    return weights.getOrDefault(tenant, defaultWeight);
  }

  /**
   * The tenant's virtual counter in a class, in tokens divided by weight; 0 for a tenant never
   * seen in it. For decision records ("why was X served before Y") and tests.
   */
  public double counter(String tenant, Priority priority) {
    Lane lane = classes[priority.ordinal()].lanes.get(tenant);
    return lane == null ? 0 : lane.counter;
  }

  // ---------------------------------------------------------------- changes

  /**
   * Adds a waiting request.
   *
   * @throws IllegalArgumentException if a request with the same id is already waiting
   */
  public void add(QueuedRequest request) {
    Objects.requireNonNull(request, "request");
    if (byId.containsKey(request.id())) {
      throw new IllegalArgumentException("request " + request.id() + " is already waiting");
    }
    ClassQueue cq = classes[request.priority().ordinal()];
    Lane lane = cq.lanes.computeIfAbsent(request.tenant(), Lane::new);
    Entry entry = new Entry(request, nextSeq++, lane, cq);
    if (lane.waiting.isEmpty()) {
      double floor = cq.active.isEmpty() ? cq.idleFloor : cq.active.first().counter;
      lane.counter = Math.max(lane.counter, floor);
    } else {
      cq.active.remove(lane);
      cq.byCost.remove(lane);
    }
    lane.waiting.add(entry);
    lane.waitingCost += request.costTokens();
    cq.active.add(lane);
    cq.byCost.add(lane);
    cq.size++;
    cq.cost += request.costTokens();
    byId.put(request.id(), entry);
    byDeadline.add(entry);
    waitingByTenant.merge(request.tenant(), 1, Integer::sum);
  }

  /** The request {@link #poll()} would return, left in place. */
  public Optional<QueuedRequest> peek() {
    ClassQueue cq = topClass();
    return cq == null ? Optional.empty() : Optional.of(cq.active.first().waiting.first().request);
  }

  /** Removes and returns the next request to serve, charging its tenant; empty if none waits. */
  public Optional<QueuedRequest> poll() {
    ClassQueue cq = topClass();
    if (cq == null) {
      return Optional.empty();
    }
    Entry entry = cq.active.first().waiting.first();
    take(entry, true);
    return Optional.of(entry.request);
  }

  /** Removes a waiting request without charging anyone (cancel, expiry, shedding). */
  public boolean remove(long id) {
    Entry entry = byId.get(id);
    if (entry == null) {
      return false;
    }
    take(entry, false);
    return true;
  }

  /**
   * Removes and returns every request whose deadline is at or before {@code nowMs}, earliest
   * deadline first (then the order of {@code add}). Nobody is charged.
   */
  public List<QueuedRequest> expireDue(long nowMs) {
    List<QueuedRequest> expired = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.first().deadlineAtMs <= nowMs) {
      Entry entry = byDeadline.first();
      take(entry, false);
      expired.add(entry.request);
    }
    return expired;
  }

  /**
   * Moves a tenant's counter in a class by {@code deltaTokens / weight(tenant)} once the real
   * usage of a served request is known (negative when the estimate was too high).
   */
  public void correct(String tenant, Priority priority, long deltaTokens) {
    Objects.requireNonNull(tenant, "tenant");
    ClassQueue cq = classes[priority.ordinal()];
    Lane lane = cq.lanes.computeIfAbsent(tenant, Lane::new);
    boolean waiting = !lane.waiting.isEmpty();
    if (waiting) {
      cq.active.remove(lane);
    }
    lane.counter += deltaTokens / weight(tenant);
    if (waiting) {
      cq.active.add(lane);
    }
  }

  // ---------------------------------------------------------------- questions

  /** Waiting requests in all classes. */
  public int size() {
    return byId.size();
  }

  /** Waiting requests of one class. */
  public int size(Priority priority) {
    return classes[priority.ordinal()].size;
  }

  /** Waiting requests of one tenant, all classes. */
  public int size(String tenant) {
    return waitingByTenant.getOrDefault(tenant, 0);
  }

  /** Sum of {@code costTokens} of the requests waiting in {@code atOrAbove} and the classes above it. */
  public long queuedCost(Priority atOrAbove) {
    long sum = 0;
    for (int i = 0; i <= atOrAbove.ordinal(); i++) {
      sum += classes[i].cost;
    }
    return sum;
  }

  /**
   * The request to drop to make room for an arrival of class {@code below}: from the lowest
   * non-empty class strictly under {@code below}, the newest request of the tenant with the most
   * waiting cost in that class. Empty if no class under {@code below} has a waiting request, so
   * a request of class {@code below} or higher is never named. It is not removed.
   */
  public Optional<QueuedRequest> shedCandidate(Priority below) {
    for (int i = CLASSES.length - 1; i > below.ordinal(); i--) {
      ClassQueue cq = classes[i];
      if (cq.size > 0) {
        return Optional.of(cq.byCost.first().waiting.last().request);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- internals

  private ClassQueue topClass() {
    for (ClassQueue cq : classes) {
      if (cq.size > 0) {
        return cq;
      }
    }
    return null;
  }

  /** Takes a waiting entry out of every index; charges its tenant if it is being served. */
  private void take(Entry entry, boolean charge) {
    Lane lane = entry.lane;
    ClassQueue cq = entry.cls;
    long cost = entry.request.costTokens();
    // a lane's position depends on its counter and cost: take it out before changing them
    cq.active.remove(lane);
    cq.byCost.remove(lane);
    lane.waiting.remove(entry);
    lane.waitingCost -= cost;
    if (charge) {
      lane.counter += cost / weight(lane.tenant);
    }
    if (!lane.waiting.isEmpty()) {
      cq.active.add(lane);
      cq.byCost.add(lane);
    } else if (cq.active.isEmpty()) {
      cq.idleFloor = lane.counter;
    }
    cq.size--;
    cq.cost -= cost;
    byId.remove(entry.request.id());
    byDeadline.remove(entry);
    String tenant = entry.request.tenant();
    int left = waitingByTenant.get(tenant) - 1;
    if (left == 0) {
      waitingByTenant.remove(tenant);
    } else {
      waitingByTenant.put(tenant, left);
    }
  }

  private static double checkWeight(String what, double w) {
    if (!(w > 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException(what + " must be finite and greater than zero, was " + w);
    }
    return w;
  }

  /** The waiting requests of one class. */
  private static final class ClassQueue {
    /** Every tenant seen in this class, waiting or not: counters outlive idle periods. */
    final Map<String, Lane> lanes = new HashMap<>();
    /** Tenants with a waiting request, lowest counter first. */
    final TreeSet<Lane> active = new TreeSet<>(LOWEST_COUNTER);
    /** Tenants with a waiting request, most waiting cost first. */
    final TreeSet<Lane> byCost = new TreeSet<>(MOST_COST);
    /** Counter of the tenant that left last; the lift for an arrival into an empty class. */
    double idleFloor;
    int size;
    long cost;
  }

  /** One tenant in one class. Mutated only while out of the sorted sets that order it. */
  private static final class Lane {
    final String tenant;
    final TreeSet<Entry> waiting = new TreeSet<>(OLDEST_FIRST);
    double counter;
    long waitingCost;

    Lane(String tenant) {
      this.tenant = tenant;
    }
  }

  private static final class Entry {
    final QueuedRequest request;
    final long seq;
    final Lane lane;
    final ClassQueue cls;
    // copies of the sort keys: comparisons stay on this object
    final long arrivedAtMs;
    final long deadlineAtMs;

    Entry(QueuedRequest request, long seq, Lane lane, ClassQueue cls) {
      this.request = request;
      this.seq = seq;
      this.lane = lane;
      this.cls = cls;
      this.arrivedAtMs = request.arrivedAtMs();
      this.deadlineAtMs = request.deadlineAtMs();
    }
  }
}

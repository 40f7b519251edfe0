package io.tensorforge.domain.intake;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.intake.queue.QueuedRequest;
import io.tensorforge.domain.intake.queue.TenantFairQueue;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.LatencyEstimate;
import io.tensorforge.domain.routing.RoutingChoice;
import io.tensorforge.domain.routing.RoutingDecision;
import io.tensorforge.domain.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Admission, queueing, endpoint capacity and routing for the requests this node holds: the
 * single owner of the state these decisions share. Plain, deterministic Java: time comes in as
 * arguments and randomness from the generator given at construction.
 *
 * <p>Rules:
 * <ul>
 *   <li>an endpoint never has more leases than its {@code maxConcurrent};</li>
 *   <li>each model has a {@link TenantFairQueue}: a higher priority class is always served
 *       first; within a class tenants share by weighted virtual token counters; within a tenant
 *       and class, first come first served;</li>
 *   <li>a request goes to the endpoint its model's strategy chooses; if that endpoint is busy
 *       the request waits until a slot frees;</li>
 *   <li>the queues hold at most {@code queueCapacity} requests, and at most
 *       {@code perTenantQueueCapacity} of one tenant. When the total is full a waiting request
 *       of a lower class is shed to make room (sheddable first, then standard); critical is
 *       never shed for a lower class, and nothing is shed for an equal one;</li>
 *   <li>a request that, by the queue's own estimate, cannot start before its deadline is
 *       refused at once; one whose deadline passes while it waits leaves the queue;</li>
 *   <li>a waiting request leaves the queue when it starts, expires, is cancelled or shed.</li>
 * </ul>
 */
public final class Scheduler {

  private final SchedulerSettings settings;
  private final Function<String, RoutingStrategy> strategyForModel;
  private final RandomGenerator random;

  private final Map<String, EndpointState> endpoints = new LinkedHashMap<>();
  private final Map<String, List<EndpointState>> endpointsByModel = new HashMap<>();
  private final Map<String, RoutingStrategy> strategies = new HashMap<>();
  /** The up endpoints of each model, rebuilt only when the table changes. */
  private final Map<String, List<EndpointState>> upByModel = new HashMap<>();
  /** Per model: {ms it was computed at, slots per ms of known endpoints (0 if any is unknown)}. */
  private final Map<String, double[]> knownRateByModel = new HashMap<>();
  private final Map<String, TenantFairQueue> queues = new HashMap<>();
  private final Map<Long, Ticket> waiting = new HashMap<>();
  private final Map<String, Integer> waitingByTenant = new HashMap<>();
  private final Map<Long, Lease> leases = new HashMap<>();
  private final Map<Long, Ticket> ticketOfLease = new HashMap<>();
  private long nextLeaseId = 1;

  public Scheduler(SchedulerSettings settings, Function<String, RoutingStrategy> strategyForModel,
                   RandomGenerator random) {
    this.settings = settings;
    this.strategyForModel = strategyForModel;
    this.random = random;
  }

  // ---------------------------------------------------------------- endpoint table

  /**
   * Adds an endpoint or updates its registration; load and observed latency survive an
   * update. Returns the requests that the new capacity lets start.
   */
  public List<Dispatch> upsertEndpoint(EndpointSpec spec, boolean up, long nowMs) {
    EndpointState existing = endpoints.get(spec.id());
    if (existing == null) {
      EndpointState state = new EndpointState(spec, up,
          new LatencyEstimate(settings.latencyDecayMs(), settings.staleAfterMs()));
      endpoints.put(spec.id(), state);
      index(state);
      return pump(spec.models(), nowMs);
    }
    unindex(existing);
    existing.respec(spec);
    existing.up(up);
    index(existing);
    return pump(spec.models(), nowMs);
  }

  /**
   * Removes an endpoint. Its leases stay valid until released. Requests waiting for a model
   * that has no endpoint left are returned: they can never start.
   */
  public List<Ticket> removeEndpoint(String id) {
    EndpointState state = endpoints.remove(id);
    if (state == null) {
      return List.of();
    }
    unindex(state);
    List<Ticket> orphans = new ArrayList<>();
    for (String model : state.spec().models()) {
      if (!endpointsByModel.containsKey(model)) {
        orphans.addAll(drainQueue(model));
      }
    }
    return orphans;
  }

  /** Marks an endpoint up or down; returns dispatches that an endpoint coming up allows. */
  public List<Dispatch> setUp(String id, boolean up, long nowMs) {
    EndpointState state = endpoints.get(id);
    if (state == null || state.up() == up) {
      return List.of();
    }
    state.up(up);
    tableChanged(state);
    return up ? pump(state.spec().models(), nowMs) : List.of();
  }

  public boolean knowsModel(String model) {
    return endpointsByModel.containsKey(model);
  }

  public Set<String> models() {
    return Collections.unmodifiableSet(endpointsByModel.keySet());
  }

  public Collection<EndpointState> endpoints() {
    return Collections.unmodifiableCollection(endpoints.values());
  }

  public Optional<EndpointState> endpoint(String id) {
    return Optional.ofNullable(endpoints.get(id));
  }

  // ---------------------------------------------------------------- requests

  /** Admits a new request: start it now, queue it (perhaps shedding others), or refuse it. */
  public Admission admit(Ticket ticket, long nowMs) {
    String model = ticket.model();
    if (!endpointsByModel.containsKey(model)) {
      return new Admission.Refused(ErrorCode.MODEL_NOT_FOUND, "model '" + model + "' is not served here", 0);
    }
    if (ticket.expiredAt(nowMs)) {
      return new Admission.Refused(ErrorCode.QUEUE_TIMEOUT, "the deadline passed before admission", retryAfterMs(model, nowMs));
    }
    if (!hasUpEndpoint(model)) {
      return new Admission.Refused(ErrorCode.NO_HEALTHY_ENDPOINT,
          "no endpoint of model '" + model + "' takes traffic", retryAfterMs(model, nowMs));
    }
    TenantFairQueue queue = queues.get(model);
    if (queue == null || queue.size() == 0) {
      Optional<RoutingChoice> choice = choose(model, nowMs);
      if (choice.isPresent() && choice.get().canStartNow()) {
        return new Admission.Started(start(ticket, choice.get(), nowMs));
      }
    }
    long waitMs = estimatedWaitMs(model, ticket.priority(), nowMs);
    if (waitMs > ticket.deadlineAtMs() - nowMs) {
      return new Admission.Refused(ErrorCode.DEADLINE_UNREACHABLE, "the queue ahead needs about " + waitMs
          + " ms, more than the " + (ticket.deadlineAtMs() - nowMs) + " ms left before the deadline", Math.max(1000, waitMs));
    }
    if (settings.perTenantQueueCapacity() < settings.queueCapacity()
        && waitingByTenant.getOrDefault(ticket.tenant(), 0) >= settings.perTenantQueueCapacity()) {
      return new Admission.Refused(ErrorCode.TENANT_QUEUE_FULL, "tenant '" + ticket.tenant() + "' has "
          + settings.perTenantQueueCapacity() + " requests waiting already", retryAfterMs(model, nowMs));
    }
    List<Ticket> shed = new ArrayList<>(1);
    if (waiting.size() >= settings.queueCapacity()) {
      Optional<Ticket> victim = shedVictim(ticket.priority());
      if (victim.isEmpty()) {
        return new Admission.Refused(ErrorCode.QUEUE_FULL, "the queue is full", retryAfterMs(model, nowMs));
      }
      remove(victim.get());
      shed.add(victim.get());
    }
    enqueue(ticket);
    return new Admission.Queued(ticket, waiting.size(), shed);
  }

  /**
   * Ends a lease, learns from it, and starts the waiting requests the freed slot allows.
   * A failure counts as at least {@code failurePenaltyMs}. Releasing an unknown or already
   * released lease changes nothing.
   */
  public List<Dispatch> release(long leaseId, double latencyMs, boolean success, long nowMs) {
    return release(leaseId, latencyMs, success, -1, nowMs);
  }

  /**
   * As {@link #release(long, double, boolean, long)}, and corrects the tenant's fair-share
   * charge from the estimate to {@code servedTokens} (negative when unknown).
   */
  public List<Dispatch> release(long leaseId, double latencyMs, boolean success, long servedTokens, long nowMs) {
    Lease lease = leases.remove(leaseId);
    if (lease == null) {
      return List.of();
    }
    Ticket ticket = ticketOfLease.remove(leaseId);
    TenantFairQueue queue = queues.get(lease.model());
    if (servedTokens >= 0 && ticket != null && queue != null) {
      queue.correct(ticket.tenant(), ticket.priority(), servedTokens - ticket.costTokens());
    }
    EndpointState state = endpoints.get(lease.endpointId());
    if (state == null) {
      // its endpoint was removed: requests waiting for it are woken by nothing else
      return pump(new ArrayList<>(queues.keySet()), nowMs);
    }
    state.finish(leaseId, nowMs, success ? latencyMs : Math.max(latencyMs, settings.failurePenaltyMs()), success);
    return pump(state.spec().models(), nowMs);
  }

  /** Ends a lease whose caller went away: frees the slot without learning from it. */
  public List<Dispatch> abandon(long leaseId, long nowMs) {
    Lease lease = leases.remove(leaseId);
    if (lease == null) {
      return List.of();
    }
    ticketOfLease.remove(leaseId);
    EndpointState state = endpoints.get(lease.endpointId());
    if (state == null) {
      return pump(new ArrayList<>(queues.keySet()), nowMs);
    }
    state.abandon(leaseId);
    return pump(state.spec().models(), nowMs);
  }

  /** Removes a waiting request (deadline passed, caller gone); empty if it already left the queue. */
  public Optional<Ticket> expire(long ticketId, String model) {
    Ticket t = waiting.get(ticketId);
    if (t == null || !t.model().equals(model)) {
      return Optional.empty();
    }
    remove(t);
    return Optional.of(t);
  }

  /** Removes every waiting request whose deadline is at or before now. */
  public List<Ticket> expireDue(long nowMs) {
    List<Ticket> expired = new ArrayList<>();
    for (TenantFairQueue queue : new ArrayList<>(queues.values())) {
      for (QueuedRequest r : queue.expireDue(nowMs)) {
        Ticket t = waiting.remove(r.id());
        if (t != null) {
          untrackTenant(t.tenant());
          expired.add(t);
        }
      }
    }
    return expired;
  }

  public int queueDepth() {
    return waiting.size();
  }

  public int queueDepth(String model) {
    TenantFairQueue q = queues.get(model);
    return q == null ? 0 : q.size();
  }

  public int queueDepth(String model, Priority priority) {
    TenantFairQueue q = queues.get(model);
    return q == null ? 0 : q.size(priority);
  }

  public int queueDepthOfTenant(String tenant) {
    return waitingByTenant.getOrDefault(tenant, 0);
  }

  public int leasesHeld() {
    return leases.size();
  }

  /**
   * A guess at how long a new request for the model would wait: the queue ahead of it served by
   * the model's slots at their observed speed. At least one second.
   */
  public long retryAfterMs(String model, long nowMs) {
    double slotsPerMs = slotsPerMs(model, nowMs, false);
    int ahead = queueDepth(model) + 1;
    double waitMs = slotsPerMs == 0 ? 1000 : ahead / slotsPerMs;
    return Math.max(1000, (long) Math.ceil(waitMs / 1000.0) * 1000);
  }

  /**
   * How long the requests already waiting at or above a class will take to start, by the
   * observed speed of the model's endpoints; zero while any endpoint's speed is unknown (then
   * there is no estimate to refuse on).
   */
  public long estimatedWaitMs(String model, Priority priority, long nowMs) {
    TenantFairQueue q = queues.get(model);
    if (q == null) {
      return 0;
    }
    int ahead = 0;
    for (Priority p : Priority.values()) {
      if (p == priority || p.above(priority)) {
        ahead += q.size(p);
      }
    }
    if (ahead == 0) {
      return 0;
    }
    double[] cached = knownRateByModel.get(model);
    if (cached == null || cached[0] != nowMs) {
      cached = new double[] {nowMs, slotsPerMs(model, nowMs, true)};
      knownRateByModel.put(model, cached);
    }
    double slotsPerMs = cached[1];
    return slotsPerMs == 0 ? 0 : (long) Math.ceil(ahead / slotsPerMs);
  }

  // ---------------------------------------------------------------- internals

  /** Requests the model's up endpoints complete per ms; with {@code knownOnly}, 0 if any speed is unknown. */
  private double slotsPerMs(String model, long nowMs, boolean knownOnly) {
    double rate = 0;
    for (EndpointState e : upEndpoints(model)) {
      if (knownOnly && !e.latency().known(nowMs)) {
        return 0;
      }
      rate += e.maxConcurrent() / Math.max(1, e.serviceEstimateMs(nowMs));
    }
    return rate;
  }

  private boolean hasUpEndpoint(String model) {
    return !upEndpoints(model).isEmpty();
  }

  private Optional<RoutingChoice> choose(String model, long nowMs) {
    List<EndpointState> up = upEndpoints(model);
    if (up.isEmpty()) {
      return Optional.empty();
    }
    return strategies.computeIfAbsent(model, strategyForModel).choose(up, nowMs, random);
  }

  private List<EndpointState> upEndpoints(String model) {
    return upByModel.computeIfAbsent(model, m -> {
      List<EndpointState> up = new ArrayList<>();
      for (EndpointState e : endpointsByModel.getOrDefault(m, List.of())) {
        if (e.up()) {
          up.add(e);
        }
      }
      return up;
    });
  }

  /**
   * Keeps a queued request from waiting for a busy endpoint while another has a free slot and
   * would finish it no later. The busy endpoint's wait counts the requests queued behind this
   * one too (they all want its slots), so a deep queue spills to free, slower endpoints instead
   * of leaving their slots idle: the scheduler stays work-conserving under overload.
   */
  private Optional<RoutingChoice> spillToFreeSlot(String model, RoutingChoice busy, long nowMs) {
    int behind = Math.max(0, queueDepth(model) - 1);
    EndpointState held = busy.endpoint();
    double hold = held.expectedFinishMs(nowMs) + behind * held.serviceEstimateMs(nowMs) / held.maxConcurrent();
    EndpointState best = null;
    double bestScore = Double.MAX_VALUE;
    for (EndpointState e : upEndpoints(model)) {
      if (e.hasFreeSlot()) {
        double score = e.expectedFinishMs(nowMs);
        if (score < bestScore) {
          best = e;
          bestScore = score;
        }
      }
    }
    if (best == null || bestScore > hold) {
      return Optional.empty();
    }
    RoutingDecision d = busy.decision();
    return Optional.of(new RoutingChoice(best, new RoutingDecision(d.strategy() + "+spill", best.id(), d.candidates())));
  }

  private Lease start(Ticket ticket, RoutingChoice choice, long nowMs) {
    EndpointState e = choice.endpoint();
    long id = nextLeaseId++;
    Lease lease = new Lease(id, ticket.id(), ticket.model(), e.id(), e.spec().url(), nowMs,
        Math.max(0, nowMs - ticket.arrivedAtMs()), choice.decision());
    e.start(id, nowMs);
    leases.put(id, lease);
    ticketOfLease.put(id, ticket);
    return lease;
  }

  private void enqueue(Ticket t) {
    queues.computeIfAbsent(t.model(), m -> new TenantFairQueue(settings.tenantWeights(), 1.0))
        .add(new QueuedRequest(t.id(), t.tenant(), t.priority(), t.arrivedAtMs(), t.deadlineAtMs(), t.costTokens()));
    waiting.put(t.id(), t);
    waitingByTenant.merge(t.tenant(), 1, Integer::sum);
  }

  private void remove(Ticket t) {
    TenantFairQueue q = queues.get(t.model());
    if (q != null) {
      q.remove(t.id());
    }
    if (waiting.remove(t.id()) != null) {
      untrackTenant(t.tenant());
    }
  }

  private void untrackTenant(String tenant) {
    waitingByTenant.computeIfPresent(tenant, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * The waiting request to drop for an arrival of class {@code arriving}: from the lowest class
   * below it that has any, the newest candidate any model's queue offers.
   */
  private Optional<Ticket> shedVictim(Priority arriving) {
    Ticket best = null;
    for (TenantFairQueue q : queues.values()) {
      Optional<QueuedRequest> c = q.shedCandidate(arriving);
      if (c.isEmpty()) {
        continue;
      }
      Ticket t = waiting.get(c.get().id());
      if (t == null) {
        continue;
      }
      if (best == null || best.priority().above(t.priority())
          || (best.priority() == t.priority() && t.arrivedAtMs() > best.arrivedAtMs())) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Starts waiting requests of the given models while their chosen endpoints have free slots:
   * each model's queue offers its next request (highest class, then fair share); across models
   * the higher class goes first, then the older. A request whose best endpoint is busy keeps
   * its place and blocks its own model's queue only.
   */
  private List<Dispatch> pump(Collection<String> models, long nowMs) {
    List<Dispatch> out = new ArrayList<>();
    Set<String> blocked = new HashSet<>();
    while (true) {
      String model = null;
      QueuedRequest head = null;
      for (String m : models) {
        TenantFairQueue q = queues.get(m);
        if (q == null || blocked.contains(m)) {
          continue;
        }
        Optional<QueuedRequest> next = q.peek();
        if (next.isEmpty()) {
          continue;
        }
        QueuedRequest r = next.get();
        if (head == null || r.priority().above(head.priority())
            || (r.priority() == head.priority() && r.arrivedAtMs() < head.arrivedAtMs())) {
          head = r;
          model = m;
        }
      }
      if (head == null) {
        return out;
      }
      Optional<RoutingChoice> choice = choose(model, nowMs);
      if (choice.isPresent() && !choice.get().canStartNow()) {
        choice = spillToFreeSlot(model, choice.get(), nowMs);
      }
      if (choice.isEmpty() || !choice.get().canStartNow()) {
        blocked.add(model);
        continue;
      }
      TenantFairQueue q = queues.get(model);
      q.poll();
      Ticket t = waiting.remove(head.id());
      untrackTenant(t.tenant());
      out.add(new Dispatch(t, start(t, choice.get(), nowMs)));
    }
  }

  private List<Ticket> drainQueue(String model) {
    TenantFairQueue q = queues.remove(model);
    if (q == null) {
      return List.of();
    }
    List<Ticket> drained = new ArrayList<>();
    for (Ticket t : new ArrayList<>(waiting.values())) {
      if (t.model().equals(model)) {
        waiting.remove(t.id());
        untrackTenant(t.tenant());
        drained.add(t);
      }
    }
    drained.sort((a, b) -> Long.compare(a.id(), b.id()));
    return drained;
  }

  private void tableChanged(EndpointState state) {
    for (String model : state.spec().models()) {
      upByModel.remove(model);
      knownRateByModel.remove(model);
    }
  }

  private void index(EndpointState state) {
    tableChanged(state);
    for (String model : state.spec().models()) {
      endpointsByModel.computeIfAbsent(model, m -> new ArrayList<>()).add(state);
    }
  }

  private void unindex(EndpointState state) {
    tableChanged(state);
    for (String model : state.spec().models()) {
      List<EndpointState> list = endpointsByModel.get(model);
      if (list != null) {
        list.remove(state);
        if (list.isEmpty()) {
          endpointsByModel.remove(model);
          strategies.remove(model);
        }
      }
    }
  }
}

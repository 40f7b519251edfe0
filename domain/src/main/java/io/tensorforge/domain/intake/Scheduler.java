package io.tensorforge.domain.intake;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.LatencyEstimate;
import io.tensorforge.domain.routing.RoutingChoice;
import io.tensorforge.domain.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Admission, endpoint capacity and routing for the requests this node holds: the single owner
 * of the state these decisions share. Plain, deterministic Java: time comes in as arguments and
 * randomness from the generator given at construction.
 *
 * <p>Rules:
 * <ul>
 *   <li>an endpoint never has more leases than its {@code maxConcurrent};</li>
 *   <li>a request goes to the endpoint its model's strategy chooses; if that endpoint is busy
 *       the request waits in its model's queue (first come, first served) until a slot frees;</li>
 *   <li>the queues together hold at most {@code queueCapacity} requests;</li>
 *   <li>a waiting request leaves the queue when it is dispatched or expired, nothing else.</li>
 * </ul>
 */
public final class Scheduler {

  private final SchedulerSettings settings;
  private final Function<String, RoutingStrategy> strategyForModel;
  private final RandomGenerator random;

  private final Map<String, EndpointState> endpoints = new LinkedHashMap<>();
  private final Map<String, List<EndpointState>> endpointsByModel = new HashMap<>();
  private final Map<String, RoutingStrategy> strategies = new HashMap<>();
  private final Map<String, LinkedHashMap<Long, Ticket>> queues = new HashMap<>();
  private final Map<Long, Lease> leases = new HashMap<>();
  private int queued;
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
   * that has no endpoint left are returned as refused: they can never start.
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

  /** Admits a new request: start it now, queue it, or refuse it. */
  public Admission admit(Ticket ticket, long nowMs) {
    List<EndpointState> all = endpointsByModel.get(ticket.model());
    if (all == null) {
      return new Admission.Refused(ErrorCode.MODEL_NOT_FOUND, "model '" + ticket.model() + "' is not served here", 0);
    }
    if (ticket.expiredAt(nowMs)) {
      return new Admission.Refused(ErrorCode.QUEUE_TIMEOUT, "the deadline passed before admission", retryAfterMs(ticket.model(), nowMs));
    }
    LinkedHashMap<Long, Ticket> queue = queues.get(ticket.model());
    boolean othersWaiting = queue != null && !queue.isEmpty();
    if (!othersWaiting) {
      Optional<RoutingChoice> choice = choose(ticket.model(), nowMs);
      if (choice.isEmpty()) {
        return new Admission.Refused(ErrorCode.NO_HEALTHY_ENDPOINT,
            "no endpoint of model '" + ticket.model() + "' takes traffic", retryAfterMs(ticket.model(), nowMs));
      }
      if (choice.get().canStartNow()) {
        return new Admission.Started(start(ticket, choice.get(), nowMs));
      }
    }
    if (queued >= settings.queueCapacity()) {
      return new Admission.Refused(ErrorCode.QUEUE_FULL, "the queue is full", retryAfterMs(ticket.model(), nowMs));
    }
    queues.computeIfAbsent(ticket.model(), m -> new LinkedHashMap<>()).put(ticket.id(), ticket);
    queued++;
    return new Admission.Queued(ticket, queued);
  }

  /**
   * Ends a lease, records its latency, and starts the waiting requests the freed slot allows.
   * Releasing an unknown or already released lease changes nothing.
   */
  public List<Dispatch> release(long leaseId, double latencyMs, boolean success, long nowMs) {
    Lease lease = leases.remove(leaseId);
    if (lease == null) {
      return List.of();
    }
    EndpointState state = endpoints.get(lease.endpointId());
    if (state == null) {
      // Its endpoint was removed. Requests that were waiting for it (of any model it served)
      // are woken by nothing else before their deadline, even with idle endpoints left.
      return pump(new ArrayList<>(queues.keySet()), nowMs);
    }
    state.finish(leaseId, nowMs, latencyMs, success);
    return pump(state.spec().models(), nowMs);
  }

  /** Removes a waiting request whose deadline passed; empty if it already left the queue. */
  public Optional<Ticket> expire(long ticketId, String model) {
    LinkedHashMap<Long, Ticket> queue = queues.get(model);
    Ticket t = queue == null ? null : queue.remove(ticketId);
    if (t == null) {
      return Optional.empty();
    }
    queued--;
    if (queue.isEmpty()) {
      queues.remove(model);
    }
    return Optional.of(t);
  }

  /** Removes every waiting request whose deadline is at or before now. */
  public List<Ticket> expireDue(long nowMs) {
    List<Ticket> expired = new ArrayList<>();
    for (Iterator<Map.Entry<String, LinkedHashMap<Long, Ticket>>> it = queues.entrySet().iterator(); it.hasNext(); ) {
      LinkedHashMap<Long, Ticket> queue = it.next().getValue();
      queue.values().removeIf(t -> {
        if (t.expiredAt(nowMs)) {
          expired.add(t);
          return true;
        }
        return false;
      });
      if (queue.isEmpty()) {
        it.remove();
      }
    }
    queued -= expired.size();
    return expired;
  }

  public int queueDepth() {
    return queued;
  }

  public int queueDepth(String model) {
    LinkedHashMap<Long, Ticket> q = queues.get(model);
    return q == null ? 0 : q.size();
  }

  public int leasesHeld() {
    return leases.size();
  }

  /**
   * A guess at how long a new request for the model would wait: the queue ahead of it served by
   * the model's slots at their observed speed. At least one second.
   */
  public long retryAfterMs(String model, long nowMs) {
    List<EndpointState> all = endpointsByModel.getOrDefault(model, List.of());
    double slotsPerMs = 0;
    for (EndpointState e : all) {
      if (e.up()) {
        double service = Math.max(1, e.serviceEstimateMs(nowMs));
        slotsPerMs += e.maxConcurrent() / service;
      }
    }
    int ahead = queueDepth(model) + 1;
    double waitMs = slotsPerMs == 0 ? 1000 : ahead / slotsPerMs;
    return Math.max(1000, (long) Math.ceil(waitMs / 1000.0) * 1000);
  }

  // ---------------------------------------------------------------- internals

  private Optional<RoutingChoice> choose(String model, long nowMs) {
    List<EndpointState> all = endpointsByModel.get(model);
    if (all == null) {
      return Optional.empty();
    }
    List<EndpointState> up = new ArrayList<>(all.size());
    for (EndpointState e : all) {
      if (e.up()) {
        up.add(e);
      }
    }
    if (up.isEmpty()) {
      return Optional.empty();
    }
    return strategies.computeIfAbsent(model, strategyForModel).choose(up, nowMs, random);
  }

  private Lease start(Ticket ticket, RoutingChoice choice, long nowMs) {
    EndpointState e = choice.endpoint();
    long id = nextLeaseId++;
    Lease lease = new Lease(id, ticket.id(), ticket.model(), e.id(), e.spec().url(), nowMs,
        Math.max(0, nowMs - ticket.arrivedAtMs()), choice.decision());
    e.start(id, nowMs);
    leases.put(id, lease);
    return lease;
  }

  /**
   * Starts waiting requests of the given models while their chosen endpoints have free slots,
   * oldest head first. A head whose best endpoint is busy keeps its place and blocks its own
   * model's queue only.
   */
  private List<Dispatch> pump(Collection<String> models, long nowMs) {
    List<Dispatch> out = new ArrayList<>();
    Set<String> blocked = new LinkedHashSet<>();
    while (true) {
      String model = null;
      Ticket head = null;
      for (String m : models) {
        LinkedHashMap<Long, Ticket> q = queues.get(m);
        if (q == null || q.isEmpty() || blocked.contains(m)) {
          continue;
        }
        Ticket t = q.values().iterator().next();
        if (head == null || t.arrivedAtMs() < head.arrivedAtMs()) {
          head = t;
          model = m;
        }
      }
      if (head == null) {
        return out;
      }
      Optional<RoutingChoice> choice = choose(model, nowMs);
      if (choice.isEmpty() || !choice.get().canStartNow()) {
        blocked.add(model);
        continue;
      }
      expire(head.id(), model);
      out.add(new Dispatch(head, start(head, choice.get(), nowMs)));
    }
  }

  private List<Ticket> drainQueue(String model) {
    LinkedHashMap<Long, Ticket> q = queues.remove(model);
    if (q == null) {
      return List.of();
    }
    queued -= q.size();
    return new ArrayList<>(q.values());
  }

  private void index(EndpointState state) {
    for (String model : state.spec().models()) {
      endpointsByModel.computeIfAbsent(model, m -> new ArrayList<>()).add(state);
    }
  }

  private void unindex(EndpointState state) {
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

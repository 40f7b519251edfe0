package io.tensorforge.domain.intake.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule of {@link TenantFairQueue} written the slow, obvious way (a list and linear scans),
 * as a reference for model-based properties. Same arithmetic in the same order, so counters
 * compare exactly.
 */
final class NaiveFairQueue {

  private record Waiting(QueuedRequest request, long seq) {}

  private static final Comparator<Waiting> OLDEST =
      Comparator.<Waiting>comparingLong(w -> w.request.arrivedAtMs()).thenComparingLong(Waiting::seq);

  private final List<Waiting> waiting = new ArrayList<>();
  private final Map<String, Double> weights;
  private final double defaultWeight;
  private final List<Map<String, Double>> counters = new ArrayList<>();
  private final double[] idleFloor = new double[Priority.values().length];
  private long seq;

  NaiveFairQueue(Map<String, Double> weights, double defaultWeight) {
    this.weights = new HashMap<>(weights);
    this.defaultWeight = defaultWeight;
    for (int i = 0; i < Priority.values().length; i++) {
      counters.add(new HashMap<>());
    }
  }

  void setWeight(String tenant, double w) {
    weights.put(tenant, w);
  }

  double weight(String tenant) {
    return weights.getOrDefault(tenant, defaultWeight);
  }

  double counter(String tenant, Priority p) {
    return counters.get(p.ordinal()).getOrDefault(tenant, 0.0);
  }

  private void setCounter(String tenant, Priority p, double value) {
    counters.get(p.ordinal()).put(tenant, value);
  }

  private boolean hasWaiting(String tenant, Priority p) {
    return waiting.stream().anyMatch(w -> w.request.priority() == p && w.request.tenant().equals(tenant));
  }

  void add(QueuedRequest r) {
    if (!hasWaiting(r.tenant(), r.priority())) {
      double floor = waiting.stream()
          .filter(w -> w.request.priority() == r.priority())
          .mapToDouble(w -> counter(w.request.tenant(), r.priority()))
          .min()
          .orElse(idleFloor[r.priority().ordinal()]);
      setCounter(r.tenant(), r.priority(), Math.max(counter(r.tenant(), r.priority()), floor));
    }
    waiting.add(new Waiting(r, seq++));
  }

  private Optional<Waiting> next() {
    for (Priority p : Priority.values()) {
      Optional<Waiting> best = waiting.stream()
          .filter(w -> w.request.priority() == p)
          .min(Comparator.<Waiting>comparingDouble(w -> counter(w.request.tenant(), p))
              .thenComparing(w -> w.request.tenant())
              .thenComparing(OLDEST));
      if (best.isPresent()) {
        return best;
      }
    }
    return Optional.empty();
  }

  Optional<QueuedRequest> peek() {
    return next().map(Waiting::request);
  }

  Optional<QueuedRequest> poll() {
    Optional<Waiting> w = next();
    w.ifPresent(x -> leave(x, true));
    return w.map(Waiting::request);
  }

  private void leave(Waiting w, boolean charge) {
    waiting.remove(w);
    QueuedRequest r = w.request;
    if (charge) {
      setCounter(r.tenant(), r.priority(), counter(r.tenant(), r.priority()) + r.costTokens() / weight(r.tenant()));
    }
    if (size(r.priority()) == 0) {
      idleFloor[r.priority().ordinal()] = counter(r.tenant(), r.priority());
    }
  }

  boolean remove(long id) {
    for (Waiting w : waiting) {
      if (w.request.id() == id) {
        leave(w, false);
        return true;
      }
    }
    return false;
  }

  List<QueuedRequest> expireDue(long nowMs) {
    List<Waiting> due = waiting.stream()
        .filter(w -> w.request.deadlineAtMs() <= nowMs)
        .sorted(Comparator.<Waiting>comparingLong(w -> w.request.deadlineAtMs()).thenComparingLong(Waiting::seq))
        .toList();
    due.forEach(w -> leave(w, false));
    return due.stream().map(Waiting::request).toList();
  }

  void correct(String tenant, Priority p, long delta) {
    setCounter(tenant, p, counter(tenant, p) + delta / weight(tenant));
  }

  int size() {
    return waiting.size();
  }

  int size(Priority p) {
    return (int) waiting.stream().filter(w -> w.request.priority() == p).count();
  }

  int size(String tenant) {
    return (int) waiting.stream().filter(w -> w.request.tenant().equals(tenant)).count();
  }

  long queuedCost(Priority atOrAbove) {
    return waiting.stream()
        .filter(w -> !atOrAbove.above(w.request.priority()))
        .mapToLong(w -> w.request.costTokens())
        .sum();
  }

  Optional<QueuedRequest> shedCandidate(Priority below) {
    Priority[] all = Priority.values();
    for (int i = all.length - 1; i > below.ordinal(); i--) {
      Priority p = all[i];
      Map<String, Long> cost = new HashMap<>();
      for (Waiting w : waiting) {
        if (w.request.priority() == p) {
          cost.merge(w.request.tenant(), w.request.costTokens(), Long::sum);
        }
      }
      Optional<String> heaviest = cost.entrySet().stream()
          .min(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
          .map(Map.Entry::getKey);
      if (heaviest.isPresent()) {
        return waiting.stream()
            .filter(w -> w.request.priority() == p && w.request.tenant().equals(heaviest.get()))
            .max(OLDEST)
            .map(Waiting::request);
      }
    }
    return Optional.empty();
  }
}

package io.tensorforge.domain.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's view of one endpoint: its registration, whether it takes traffic, the
 * requests it has in flight from this node, and its observed latency. Mutable; owned by one
 * scheduler and touched only from its thread.
 */
public final class EndpointState {

  private EndpointSpec spec;
  private boolean up;
  private final LatencyEstimate latency;
  /** lease id → start time, in start order: the first entry is the oldest request in flight. */
  private final LinkedHashMap<Long, Long> inFlight = new LinkedHashMap<>();
  private long served;
  private long failed;

  public EndpointState(EndpointSpec spec, boolean up, LatencyEstimate latency) {
    this.spec = spec;
    this.up = up;
    this.latency = latency;
  }

  public String id() {
    return spec.id();
  }

  public EndpointSpec spec() {
    return spec;
  }

  public void respec(EndpointSpec spec) {
    this.spec = spec;
  }

  public boolean up() {
    return up;
  }

  public void up(boolean up) {
    this.up = up;
  }

  public int inFlight() {
    return inFlight.size();
  }

  public int maxConcurrent() {
    return spec.maxConcurrent();
  }

  public boolean hasFreeSlot() {
    return inFlight.size() < spec.maxConcurrent();
  }

  public long served() {
    return served;
  }

  public long failed() {
    return failed;
  }

  public LatencyEstimate latency() {
    return latency;
  }

  public void start(long leaseId, long nowMs) {
    inFlight.put(leaseId, nowMs);
  }

  /**
   * Ends a lease and learns from it: a success teaches its latency; a failure teaches the
   * latency it is given (the caller passes a penalty, so a failing endpoint does not look fast).
   * Returns false if this endpoint did not hold the lease (released twice, or unknown).
   */
  public boolean finish(long leaseId, long nowMs, double latencyMs, boolean success) {
    if (inFlight.remove(leaseId) == null) {
      return false;
    }
    if (success) {
      served++;
    } else {
      failed++;
    }
    latency.observe(latencyMs, nowMs);
    return true;
  }

  /** Ends a lease that taught nothing (the caller went away): frees the slot only. */
  public boolean abandon(long leaseId) {
    return inFlight.remove(leaseId) != null;
  }

  /** How long the oldest request in flight has been running, or 0. */
  public long oldestInFlightAgeMs(long nowMs) {
    for (Map.Entry<Long, Long> e : inFlight.entrySet()) {
      return Math.max(0, nowMs - e.getValue());
    }
    return 0;
  }

  /**
   * The expected service time of a request started now: the observed average, or the age of
   * the oldest request still running if that is longer (a slowdown shows before it completes).
   */
  public double serviceEstimateMs(long nowMs) {
    double avg = latency.averageMs(nowMs);
    return inFlight.isEmpty() ? avg : Math.max(avg, oldestInFlightAgeMs(nowMs));
  }

  /**
   * Expected time to finish a request sent here now: the wait for a slot (zero while one is
   * free) plus the service time. Latency is measured from this node without exceeding the
   * endpoint's slots, so it holds no queueing at the endpoint and is not counted twice.
   */
  public double expectedFinishMs(long nowMs) {
    double service = serviceEstimateMs(nowMs);
    int excess = inFlight.size() - spec.maxConcurrent() + 1;
    double wait = excess <= 0 ? 0 : excess * service / spec.maxConcurrent();
    return wait + service;
  }
}

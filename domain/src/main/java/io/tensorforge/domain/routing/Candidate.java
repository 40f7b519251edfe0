package io.tensorforge.domain.routing;

/** One endpoint as a routing decision saw it. Lower score is better. */
public record Candidate(String endpointId, double score, int inFlight, int maxConcurrent) {}

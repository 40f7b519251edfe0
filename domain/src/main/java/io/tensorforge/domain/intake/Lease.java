package io.tensorforge.domain.intake;

import io.tensorforge.domain.routing.RoutingDecision;

/**
 * A slot held on one endpoint for one request. It must be released exactly once, however the
 * request ends; releasing it twice is harmless.
 */
public record Lease(long id, long ticketId, String model, String endpointId, String endpointUrl,
                    long startedAtMs, long queuedMs, RoutingDecision decision) {}

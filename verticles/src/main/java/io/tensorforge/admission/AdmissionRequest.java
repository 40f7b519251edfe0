package io.tensorforge.admission;

import io.tensorforge.domain.cost.TokenEstimate;

/** Asks admission to take a request's share of its limits and budget, by its estimate. */
public record AdmissionRequest(String requestId, String tenant, String keyId, String model, TokenEstimate estimate) {}

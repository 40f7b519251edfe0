package io.tensorforge.fulfillment;

/**
 * How a forwarded call ended once the endpoint had answered.
 *
 * @param status the status sent to the caller
 * @param success the endpoint answered 2xx and the whole body reached the caller
 * @param headLatencyMs time from sending the request to the endpoint's response head: the
 *     latency the router learns from
 */
public record UpstreamOutcome(int status, boolean success, double headLatencyMs) {}

package io.tensorforge.fulfillment;

import io.tensorforge.domain.cost.ReportedUsage;
import java.util.Optional;

/**
 * How a forwarded call ended once the endpoint had answered.
 *
 * @param status the status sent to the caller
 * @param success the endpoint answered 2xx and the whole body reached the caller
 * @param headLatencyMs time from sending the request to the endpoint's response head: the
 *     latency the router learns from
 * @param usage the token counts the endpoint reported at the end of its answer, if it did
 */
public record UpstreamOutcome(int status, boolean success, double headLatencyMs, Optional<ReportedUsage> usage) {

  public UpstreamOutcome(int status, boolean success, double headLatencyMs) {
    this(status, success, headLatencyMs, Optional.empty());
  }
}

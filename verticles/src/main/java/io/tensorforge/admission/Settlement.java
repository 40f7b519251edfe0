package io.tensorforge.admission;

import io.tensorforge.domain.cost.ReportedUsage;
import io.tensorforge.domain.cost.TokenEstimate;
import java.util.Optional;

/**
 * How an admitted request ended, to correct its limits and budget from the estimate to the truth.
 *
 * @param served an endpoint answered it (its usage is charged); otherwise nothing is charged
 * @param usage what the endpoint reported; the estimate stands in when it reported nothing
 */
public record Settlement(AdmissionRequest request, AdmissionGrant grant, boolean served, Optional<ReportedUsage> usage) {

  /** The tokens to charge: the reported usage, the estimate if none was reported, zero if not served. */
  public ReportedUsage charged() {
    if (!served) {
      return new ReportedUsage(0, 0);
    }
    TokenEstimate e = request.estimate();
    return usage.orElse(new ReportedUsage(e.input(), e.output()));
  }
}

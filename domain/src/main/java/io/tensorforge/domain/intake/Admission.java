package io.tensorforge.domain.intake;

import io.tensorforge.domain.error.ErrorCode;

/** What admission says to a new request. */
public sealed interface Admission {

  /** A slot was free: go now. */
  record Started(Lease lease) implements Admission {}

  /** Wait in the queue; a later release or the deadline ends the wait. */
  record Queued(Ticket ticket, int depth) implements Admission {}

  /** Refused now; {@code retryAfterMs} is zero when coming back would not help. */
  record Refused(ErrorCode code, String message, long retryAfterMs) implements Admission {}
}

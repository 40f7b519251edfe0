package io.tensorforge.domain.intake;

import io.tensorforge.domain.error.ErrorCode;
import java.util.List;

/** What admission says to a new request. */
public sealed interface Admission {

  /** A slot was free: go now. */
  record Started(Lease lease) implements Admission {}

  /**
   * Wait in the queue; a later release or the deadline ends the wait. {@code shed} are the
   * waiting requests of lower classes dropped to make room; each must be told so (503).
   */
  record Queued(Ticket ticket, int depth, List<Ticket> shed) implements Admission {

    public Queued {
      shed = List.copyOf(shed);
    }

    public Queued(Ticket ticket, int depth) {
      this(ticket, depth, List.of());
    }
  }

  /** Refused now; {@code retryAfterMs} is zero when coming back would not help. */
  record Refused(ErrorCode code, String message, long retryAfterMs) implements Admission {}
}

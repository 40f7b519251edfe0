package io.tensorforge.store;

/** The shared limit store did not answer in time and the configuration says to refuse meanwhile. */
public final class LimitsUnavailableException extends RuntimeException {

  private final long retryAfterMs;

  public LimitsUnavailableException(long retryAfterMs) {
    super("the limit store does not answer", null, false, false);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}

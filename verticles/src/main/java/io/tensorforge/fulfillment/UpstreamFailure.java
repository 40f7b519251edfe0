package io.tensorforge.fulfillment;

import io.tensorforge.domain.error.ErrorCode;

/**
 * The endpoint could not be used before anything was written to the caller. The message is
 * ours: it never holds the endpoint's address or its error text beyond a short, sanitized note.
 */
public final class UpstreamFailure extends RuntimeException {

  private final ErrorCode code;

  public UpstreamFailure(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}

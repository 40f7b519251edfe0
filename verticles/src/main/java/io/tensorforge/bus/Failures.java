package io.tensorforge.bus;

import io.tensorforge.domain.error.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Turns bus failures into error codes and back. */
public final class Failures {

  private Failures() {}

  /** A failure to answer a request with: its code's number travels as the failure code. */
  public static ReplyException of(ErrorCode code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.number(), message);
  }

  /** The error code behind any failure from a bus request. */
  public static ErrorCode codeOf(Throwable failure) {
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> ErrorCode.ofNumber(re.failureCode());
        case TIMEOUT, NO_HANDLERS -> ErrorCode.NOT_READY;
        default -> ErrorCode.INTERNAL;
      };
    }
    return ErrorCode.INTERNAL;
  }

  /** The message of a failure, safe to show a caller (our own text only). */
  public static String messageOf(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && ErrorCode.ofNumber(re.failureCode()) != ErrorCode.INTERNAL) {
      return re.getMessage();
    }
    return "the service could not answer";
  }
}

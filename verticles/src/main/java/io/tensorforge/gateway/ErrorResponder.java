package io.tensorforge.gateway;

import io.tensorforge.domain.error.ErrorCode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the one error shape: {@code {"error":{"code","message","request_id"}}} with the code's
 * HTTP status, and {@code Retry-After} (whole seconds, at least 1) on 429 and 503.
 */
public final class ErrorResponder {

  private ErrorResponder() {}

  public static void send(RoutingContext ctx, ErrorCode code, String message) {
    send(ctx, code, message, 0);
  }

  public static void send(RoutingContext ctx, ErrorCode code, String message, long retryAfterMs) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    if (code.retryable()) {
      long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
      response.putHeader("Retry-After", Long.toString(seconds));
    }
    JsonObject body = new JsonObject().put("error", new JsonObject()
        .put("code", code.code())
        .put("message", message)
        .put("request_id", RequestIds.of(ctx)));
    response.setStatusCode(code.httpStatus())
        .putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }
}

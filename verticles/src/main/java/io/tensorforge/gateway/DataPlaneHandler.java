package io.tensorforge.gateway;

import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.Failures;
import io.tensorforge.bus.MonotonicClock;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.Lease;
import io.tensorforge.fulfillment.UpstreamClient;
import io.tensorforge.fulfillment.UpstreamFailure;
import io.tensorforge.fulfillment.UpstreamOutcome;
import io.tensorforge.intake.AdmitRequest;
import io.tensorforge.intake.LeaseRelease;
import io.tensorforge.bus.Refusal;
import io.tensorforge.security.Caller;
import io.tensorforge.telemetry.RequestMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The data-plane path of one request: check the input, ask intake for a slot, forward to the
 * leased endpoint, stream the answer back, and give the slot back exactly once however the
 * request ends.
 */
final class DataPlaneHandler {

  /** Extra time the bus waits for intake beyond the request's deadline: intake answers first. */
  private static final long BUS_GRACE_MS = 5_000;

  private final Vertx vertx;
  private final PlatformSettings.Intake intake;
  private final UpstreamClient upstream;
  private final RequestMetrics metrics;

  DataPlaneHandler(Vertx vertx, PlatformSettings.Intake intake, UpstreamClient upstream, RequestMetrics metrics) {
    this.vertx = vertx;
    this.intake = intake;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  /** OpenAI-compatible routes: the model is named in the JSON body. */
  void openAi(RoutingContext ctx) {
    JsonObject json;
    try {
      Buffer body = ctx.body().buffer();
      if (body == null || body.length() == 0) {
        ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body must be a JSON object");
        return;
      }
      json = body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body is not a valid JSON object");
      return;
    }
    Object model = json.getValue("model");
    if (!(model instanceof String m) || m.isBlank()) {
      ErrorResponder.send(ctx, ErrorCode.MISSING_MODEL, "the request body must name a 'model'");
      return;
    }
    forward(ctx, m, ctx.request().path());
  }

  /** KServe V2 routes: the model is named in the path. */
  void kserveInfer(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body must be a JSON object");
      return;
    }
    try {
      body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body is not a valid JSON object");
      return;
    }
    forward(ctx, model, ctx.request().path());
  }

  private void forward(RoutingContext ctx, String model, String path) {
    long arrivedNanos = System.nanoTime();
    Caller caller = ctx.get(Caller.CONTEXT_KEY);
    RequestHeaders.Parsed<String> priority = RequestHeaders.priority(ctx.request().getHeader("X-TF-Priority"), caller.defaultPriority());
    if (!priority.ok()) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_HEADER, priority.error());
      return;
    }
    RequestHeaders.Parsed<Long> deadline = RequestHeaders.deadlineMs(ctx.request().getHeader("X-TF-Deadline-Ms"),
        intake.defaultDeadlineMs(priority.value()), intake.maxDeadlineMs());
    if (!deadline.ok()) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_HEADER, deadline.error());
      return;
    }
    String requestId = RequestIds.of(ctx);
    long now = MonotonicClock.nowMs();
    long deadlineAt = now + deadline.value();
    AdmitRequest admit = new AdmitRequest(requestId, model, caller.tenant(), priority.value(), now, deadlineAt);
    Exchange exchange = new Exchange(vertx, model, arrivedNanos);
    ctx.response().closeHandler(v -> exchange.callerGone(requestId));
    vertx.eventBus()
        .request(Addresses.INTAKE_ADMIT, admit, new DeliveryOptions().setLocalOnly(true).setSendTimeout(deadline.value() + BUS_GRACE_MS))
        .onFailure(err -> fail(ctx, exchange, Failures.codeOf(err), Failures.messageOf(err), 1000))
        .onSuccess(reply -> {
          if (reply.body() instanceof Refusal refusal) {
            fail(ctx, exchange, refusal.code(), refusal.message(), refusal.retryAfterMs());
            return;
          }
          Lease lease = (Lease) reply.body();
          exchange.leased(lease);
          metrics.queued(model, lease.queuedMs());
          if (ctx.response().closed()) {
            exchange.release(0, false);
            return;
          }
          ctx.response().putHeader("X-TF-Endpoint", lease.endpointId());
          upstream.forward(lease, ctx.request().method(), path, ctx.request().headers(), ctx.body().buffer(),
                  requestId, deadlineAt, ctx.response())
              .onSuccess(outcome -> finished(exchange, outcome))
              .onFailure(err -> {
                exchange.release(0, false);
                UpstreamFailure f = err instanceof UpstreamFailure uf
                    ? uf : new UpstreamFailure(ErrorCode.UPSTREAM_ERROR, "the endpoint call failed");
                fail(ctx, exchange, f.code(), f.getMessage(), 1000);
              });
        });
  }

  private void finished(Exchange exchange, UpstreamOutcome outcome) {
    exchange.release(outcome.headLatencyMs(), outcome.success());
    metrics.completed(exchange.model, exchange.endpoint(), outcome.status(), System.nanoTime() - exchange.arrivedNanos);
  }

  private void fail(RoutingContext ctx, Exchange exchange, ErrorCode code, String message, long retryAfterMs) {
    ErrorResponder.send(ctx, code, message, retryAfterMs);
    metrics.completed(exchange.model, exchange.endpoint(), code.httpStatus(), System.nanoTime() - exchange.arrivedNanos);
  }

  /** One request's hold on intake: the lease, released once; or the wait, cancelled if the caller leaves. */
  private static final class Exchange {
    private final Vertx vertx;
    private final String model;
    private final long arrivedNanos;
    private Lease lease;
    private boolean released;

    Exchange(Vertx vertx, String model, long arrivedNanos) {
      this.vertx = vertx;
      this.model = model;
      this.arrivedNanos = arrivedNanos;
    }

    void leased(Lease lease) {
      this.lease = lease;
    }

    String endpoint() {
      return lease == null ? RequestMetrics.NO_ENDPOINT : lease.endpointId();
    }

    void callerGone(String requestId) {
      if (lease == null) {
        vertx.eventBus().send(Addresses.INTAKE_CANCEL, requestId, new DeliveryOptions().setLocalOnly(true));
      }
    }

    void release(double latencyMs, boolean success) {
      if (lease != null && !released) {
        released = true;
        vertx.eventBus().send(Addresses.INTAKE_RELEASE, new LeaseRelease(lease.id(), latencyMs, success),
            new DeliveryOptions().setLocalOnly(true));
      }
    }
  }
}

package io.tensorforge.gateway;

import io.tensorforge.admission.AdmissionGrant;
import io.tensorforge.admission.AdmissionRequest;
import io.tensorforge.admission.Settlement;
import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.Failures;
import io.tensorforge.bus.MonotonicClock;
import io.tensorforge.bus.Refusal;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.cost.Cost;
import io.tensorforge.domain.cost.ReportedUsage;
import io.tensorforge.domain.cost.TokenEstimate;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.Lease;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.fulfillment.UpstreamClient;
import io.tensorforge.fulfillment.UpstreamFailure;
import io.tensorforge.fulfillment.UpstreamOutcome;
import io.tensorforge.intake.AdmitRequest;
import io.tensorforge.intake.LeaseRelease;
import io.tensorforge.security.Caller;
import io.tensorforge.telemetry.RequestMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The data-plane path of one request: check the input, pass admission (limits and budget), ask
 * intake for a slot, forward to the leased endpoint, stream the answer back, then give the slot
 * back and settle admission, each exactly once however the request ends.
 */
final class DataPlaneHandler {

  /** Extra time the bus waits for intake beyond the request's deadline: intake answers first. */
  private static final long BUS_GRACE_MS = 5_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** The status recorded (never sent) for a request whose caller went away, as nginx does. */
  private static final int CALLER_GONE = 499;

  private final Vertx vertx;
  private final PlatformSettings settings;
  private final UpstreamClient upstream;
  private final RequestMetrics metrics;

  DataPlaneHandler(Vertx vertx, PlatformSettings settings, UpstreamClient upstream, RequestMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  /** OpenAI-compatible routes: the model is named in the JSON body. */
  void openAi(RoutingContext ctx) {
    JsonObject json = jsonBody(ctx);
    if (json == null) {
      return;
    }
    Object model = json.getValue("model");
    if (!(model instanceof String m) || m.isBlank()) {
      ErrorResponder.send(ctx, ErrorCode.MISSING_MODEL, "the request body must name a 'model'");
      return;
    }
    boolean embeddings = ctx.request().path().endsWith("/embeddings");
    TokenEstimate estimate = TokenEstimate.estimate(PromptSize.chars(json),
        embeddings ? 0 : PromptSize.maxTokens(json), embeddings ? 0 : settings.limits().defaultMaxTokens());
    forward(ctx, m, estimate);
  }

  /** KServe V2 routes: the model is named in the path; tensors are sized by their bytes. */
  void kserveInfer(RoutingContext ctx) {
    if (jsonBody(ctx) == null) {
      return;
    }
    forward(ctx, ctx.pathParam("model"), TokenEstimate.estimate(ctx.body().buffer().length(), 0, 0));
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body must be a JSON object");
      return null;
    }
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body is not a valid JSON object");
      return null;
    }
  }

  private void forward(RoutingContext ctx, String model, TokenEstimate estimate) {
    long arrivedNanos = System.nanoTime();
    Caller caller = ctx.get(Caller.CONTEXT_KEY);
    RequestHeaders.Parsed<Priority> priority = RequestHeaders.priority(ctx.request().getHeader("X-TF-Priority"), caller.defaultPriority());
    if (!priority.ok()) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_HEADER, priority.error());
      return;
    }
    RequestHeaders.Parsed<Long> deadline = RequestHeaders.deadlineMs(ctx.request().getHeader("X-TF-Deadline-Ms"),
        settings.intake().defaultDeadlineMs(priority.value()), settings.intake().maxDeadlineMs());
    if (!deadline.ok()) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_HEADER, deadline.error());
      return;
    }
    String requestId = RequestIds.of(ctx);
    long now = MonotonicClock.nowMs();
    long deadlineAt = now + deadline.value();
    AdmissionRequest admission = new AdmissionRequest(requestId, caller.tenant(), caller.keyId(), model, estimate);
    AdmitRequest admit = new AdmitRequest(requestId, model, caller.tenant(), priority.value(), now, deadlineAt, estimate.total());
    Exchange exchange = new Exchange(vertx, model, arrivedNanos, admission);
    ctx.response().closeHandler(v -> exchange.callerGone(requestId));

    admit(caller, admission)
        .compose(grant -> {
          exchange.granted(grant);
          return vertx.eventBus().request(Addresses.INTAKE_ADMIT, admit,
              new DeliveryOptions(LOCAL).setSendTimeout(deadline.value() + BUS_GRACE_MS));
        })
        .compose(reply -> reply.body() instanceof Refusal refusal
            ? Future.failedFuture(new Refused(refusal))
            : Future.succeededFuture((Lease) reply.body()))
        .onFailure(err -> {
          exchange.settle(false, Optional.empty());
          if (err instanceof Refused r) {
            fail(ctx, exchange, r.refusal.code(), r.refusal.message(), r.refusal.retryAfterMs());
          } else {
            fail(ctx, exchange, Failures.codeOf(err), Failures.messageOf(err), 1000);
          }
        })
        .onSuccess(lease -> {
          exchange.leased(lease);
          metrics.queued(model, lease.queuedMs());
          if (ctx.response().closed()) {
            exchange.finish(LeaseRelease.Outcome.ABANDONED, 0, Optional.empty());
            return;
          }
          ctx.response().putHeader("X-TF-Endpoint", lease.endpointId());
          Future<UpstreamOutcome> call;
          try {
            call = upstream.forward(lease, ctx.request().method(), ctx.request().path(), ctx.request().headers(),
                ctx.body().buffer(), requestId, deadlineAt, ctx.response());
          } catch (RuntimeException e) {
            call = Future.failedFuture(new UpstreamFailure(ErrorCode.INTERNAL, "the request could not be forwarded"));
          }
          call.onSuccess(outcome -> finished(ctx, exchange, outcome))
              .onFailure(err -> {
                UpstreamFailure f = err instanceof UpstreamFailure uf
                    ? uf : new UpstreamFailure(ErrorCode.UPSTREAM_ERROR, "the endpoint call failed");
                exchange.finish(f.code() == ErrorCode.UPSTREAM_REJECTED ? LeaseRelease.Outcome.ABANDONED
                    : LeaseRelease.Outcome.FAILED, 0, Optional.empty());
                fail(ctx, exchange, f.code(), f.getMessage(), 1000);
              });
        });
  }

  /**
   * Asks admission for the request's share of its limits and budget. A caller to whom no limit
   * or budget applies is granted here, without a trip to the admission verticle; its usage is
   * still settled there.
   */
  private Future<AdmissionGrant> admit(Caller caller, AdmissionRequest admission) {
    if (!caller.limited()) {
      TokenEstimate e = admission.estimate();
      return Future.succeededFuture(new AdmissionGrant(null,
          Cost.of(settings.pricing().of(admission.model()), e.input(), e.output())));
    }
    return vertx.eventBus().request(Addresses.ADMISSION_ADMIT, admission, LOCAL)
        .compose(reply -> reply.body() instanceof Refusal refusal
            ? Future.failedFuture(new Refused(refusal))
            : Future.succeededFuture((AdmissionGrant) reply.body()));
  }

  private void finished(RoutingContext ctx, Exchange exchange, UpstreamOutcome outcome) {
    LeaseRelease.Outcome how = outcome.success() ? LeaseRelease.Outcome.SERVED
        : ctx.response().closed() && outcome.status() < 300 ? LeaseRelease.Outcome.ABANDONED : LeaseRelease.Outcome.FAILED;
    exchange.finish(how, outcome.headLatencyMs(), outcome.usage());
    int status = how == LeaseRelease.Outcome.ABANDONED ? CALLER_GONE : outcome.status();
    metrics.completed(exchange.model, exchange.endpoint(), status, System.nanoTime() - exchange.arrivedNanos);
  }

  private void fail(RoutingContext ctx, Exchange exchange, ErrorCode code, String message, long retryAfterMs) {
    boolean gone = ctx.response().closed();
    ErrorResponder.send(ctx, code, message, retryAfterMs);
    // a model nobody serves does not become a metric label: callers choose those names
    String model = code == ErrorCode.MODEL_NOT_FOUND ? "unknown" : exchange.model;
    metrics.completed(model, exchange.endpoint(), gone ? CALLER_GONE : code.httpStatus(), System.nanoTime() - exchange.arrivedNanos);
  }

  /** A refusal by admission or intake, carried down the chain. */
  private static final class Refused extends RuntimeException {
    final Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }
  }

  /**
   * One request's holds: the admission grant, settled once; the lease, released once; or the
   * wait for a slot, cancelled if the caller leaves.
   */
  private static final class Exchange {
    private final Vertx vertx;
    private final String model;
    private final long arrivedNanos;
    private final AdmissionRequest admission;
    private AdmissionGrant grant;
    private Lease lease;
    private boolean released;
    private boolean settled;

    Exchange(Vertx vertx, String model, long arrivedNanos, AdmissionRequest admission) {
      this.vertx = vertx;
      this.model = model;
      this.arrivedNanos = arrivedNanos;
      this.admission = admission;
    }

    void granted(AdmissionGrant grant) {
      this.grant = grant;
    }

    void leased(Lease lease) {
      this.lease = lease;
    }

    String endpoint() {
      return lease == null ? RequestMetrics.NO_ENDPOINT : lease.endpointId();
    }

    void callerGone(String requestId) {
      if (grant != null && lease == null) {
        vertx.eventBus().send(Addresses.INTAKE_CANCEL, requestId, LOCAL);
      }
    }

    /** The endpoint's part is over: free the slot and settle admission with what was served. */
    void finish(LeaseRelease.Outcome outcome, double latencyMs, Optional<ReportedUsage> usage) {
      boolean served = outcome == LeaseRelease.Outcome.SERVED;
      if (lease != null && !released) {
        released = true;
        long tokens = served ? usage.map(ReportedUsage::totalTokens).orElse(-1L) : 0;
        vertx.eventBus().send(Addresses.INTAKE_RELEASE, new LeaseRelease(lease.id(), outcome, latencyMs, tokens), LOCAL);
      }
      settle(served, usage);
    }

    void settle(boolean served, Optional<ReportedUsage> usage) {
      if (grant != null && !settled) {
        settled = true;
        vertx.eventBus().send(Addresses.ADMISSION_SETTLE, new Settlement(admission, grant, served, usage), LOCAL);
      }
    }
  }
}

package io.tensorforge.fulfillment;

import io.tensorforge.bus.MonotonicClock;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.cost.UsageParser;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.Lease;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Calls model endpoints for one gateway instance: a keep-alive client whose pool holds up to
 * {@code maxPoolSizePerEndpoint} connections per endpoint (the pool is keyed by host and port),
 * a connect timeout, an idle timeout while the answer streams, and the request's own deadline
 * until the response head arrives. Answers are streamed to the caller as they come, never
 * buffered whole.
 */
public final class UpstreamClient {

  /** Request headers the caller sends that the endpoint must not see (our credentials, our hints). */
  private static final Set<String> NOT_FORWARDED = Set.of(
      "authorization", "host", "content-length", "x-tf-priority", "x-tf-deadline-ms", "idempotency-key", "cookie");
  /** Response headers we set ourselves. */
  private static final Set<String> NOT_RETURNED = Set.of("x-tf-request-id", "x-tf-endpoint", "server", "set-cookie");
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final PlatformSettings.Fulfillment settings;

  public UpstreamClient(Vertx vertx, PlatformSettings.Fulfillment settings) {
    this.vertx = vertx;
    this.settings = settings;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout(settings.connectTimeoutMs())
        .setIdleTimeout(settings.idleTimeoutMs())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false);
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.maxPoolSizePerEndpoint()));
  }

  /**
   * Sends the caller's request to the leased endpoint and streams the answer to {@code out}.
   * Fails with {@link UpstreamFailure} if nothing was written to the caller yet; once the head
   * is written, a broken stream resets the caller's response and ends as an unsuccessful outcome.
   */
  public Future<UpstreamOutcome> forward(Lease lease, HttpMethod method, String path, MultiMap inHeaders,
                                         Buffer body, String requestId, long deadlineAtMs, HttpServerResponse out) {
    long sentAt = MonotonicClock.nowMs();
    long remaining = deadlineAtMs - sentAt;
    if (remaining <= 0) {
      return Future.failedFuture(new UpstreamFailure(ErrorCode.UPSTREAM_TIMEOUT, "the deadline passed before the endpoint was called"));
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    HopByHop.copy(inHeaders, headers, NOT_FORWARDED);
    headers.set("X-TF-Request-Id", requestId);
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(lease.endpointUrl() + path)
        .setHeaders(headers)
        .setConnectTimeout(Math.min(settings.connectTimeoutMs(), remaining))
        .setIdleTimeout(settings.idleTimeoutMs());
    boolean[] deadlineHit = {false};
    return client.request(options)
        .compose(req -> {
          long timer = vertx.setTimer(remaining, t -> {
            deadlineHit[0] = true;
            req.reset(0, new TimeoutException("deadline"));
          });
          return req.send(body)
              .andThen(ar -> vertx.cancelTimer(timer));
        })
        .recover(err -> Future.failedFuture(classify(err, deadlineHit[0])))
        .compose(resp -> answer(lease, resp, MonotonicClock.nowMs() - sentAt, out));
  }

  private Future<UpstreamOutcome> answer(Lease lease, HttpClientResponse resp, double headMs, HttpServerResponse out) {
    int status = resp.statusCode();
    if (status >= 300) {
      return resp.body()
          .recover(err -> Future.succeededFuture(Buffer.buffer()))
          .compose(errorBody -> Future.failedFuture(rejected(status, errorBody)));
    }
    if (out.closed()) {
      resp.request().reset();
      return Future.succeededFuture(new UpstreamOutcome(499, false, headMs));
    }
    out.setStatusCode(status);
    HopByHop.copy(resp.headers(), out.headers(), NOT_RETURNED);
    if (!resp.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      out.setChunked(true);
    }
    TailRecordingStream recorded = new TailRecordingStream(out);
    return resp.pipe()
        .endOnFailure(false)
        .to(recorded)
        .map(v -> new UpstreamOutcome(status, true, headMs, UsageParser.lastUsage(recorded.tail())))
        .recover(err -> {
          out.reset();
          resp.request().reset();
          return Future.succeededFuture(new UpstreamOutcome(status, false, headMs));
        });
  }

  /** An endpoint's non-2xx answer: the caller's fault passes on as such, anything else is ours. */
  private static UpstreamFailure rejected(int status, Buffer body) {
    if (status == 400 || status == 413 || status == 422) {
      return new UpstreamFailure(ErrorCode.UPSTREAM_REJECTED, "the endpoint rejected the request: " + upstreamMessage(body));
    }
    if (status == 429 || status == 503) {
      return new UpstreamFailure(ErrorCode.UPSTREAM_BUSY, "the endpoint is busy (it answered " + status + ")");
    }
    return new UpstreamFailure(ErrorCode.UPSTREAM_ERROR, "the endpoint answered " + status);
  }

  /** The endpoint's own error message, if it sent one in the usual shape; short and single-line. */
  private static String upstreamMessage(Buffer body) {
    String message = "no reason given";
    if (body.length() > 0 && body.length() <= MAX_ERROR_BODY) {
      try {
        JsonObject json = body.toJsonObject();
        Object error = json.getValue("error");
        if (error instanceof JsonObject e && e.getString("message") != null) {
          message = e.getString("message");
        } else if (error instanceof String s) {
          message = s;
        }
      } catch (RuntimeException notJson) {
        // keep the generic reason: we never echo an unknown body
      }
    }
    message = message.replaceAll("[\\r\\n\\t]+", " ");
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }

  private static UpstreamFailure classify(Throwable err, boolean deadlineHit) {
    if (err instanceof UpstreamFailure f) {
      return f;
    }
    if (deadlineHit || err instanceof TimeoutException || isTimeout(err)) {
      return new UpstreamFailure(ErrorCode.UPSTREAM_TIMEOUT, "the endpoint did not answer in time");
    }
    if (err instanceof ConnectException || err.getCause() instanceof ConnectException) {
      return new UpstreamFailure(ErrorCode.UPSTREAM_UNAVAILABLE, "the endpoint could not be reached");
    }
    return new UpstreamFailure(ErrorCode.UPSTREAM_ERROR, "the connection to the endpoint failed");
  }

  private static boolean isTimeout(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  public Future<Void> close() {
    return client.close();
  }
}

package io.tensorforge.fleet;

import io.tensorforge.config.ConfigException;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.sim.LatencyModel;
import io.tensorforge.domain.sim.SimText;
import io.tensorforge.domain.sim.SlotQueue;
import io.tensorforge.fleet.SimRequests.BadRequest;
import io.tensorforge.fleet.SimRequests.Embeddings;
import io.tensorforge.fleet.SimRequests.Generation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated model server on its own HTTP port: OpenAI-compatible and KServe V2 routes,
 * log-normal latency, token-paced streams, an error rate, its own slots and waiting queue, vLLM
 * gauges on {@code /metrics}, and an admin API to change its behaviour while it runs.
 *
 * <p>All state belongs to this instance and is touched only on its context.
 */
public final class SimulatedEndpointVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedEndpointVerticle.class);
  private static final long BODY_LIMIT = 16L * 1024 * 1024;
  private static final int EMBEDDING_DIMS = 8;
  private static final String JSON = "application/json";

  private final SimEndpointSettings initial;
  private SimEndpointSettings settings;
  private LatencyModel latency;
  private SlotQueue<Slot> slots;
  private RandomGenerator random;
  private final Map<String, Integer> runningByModel = new LinkedHashMap<>();
  private final Map<String, Integer> waitingByModel = new LinkedHashMap<>();
  private long served;
  private long errors;
  private long rejected;
  private long cancelled;
  private long sequence;
  private volatile int actualPort = -1;

  public SimulatedEndpointVerticle(SimEndpointSettings settings) {
    this.initial = settings;
  }

  /** The port the server listens on; valid once the deployment succeeded. */
  public int actualPort() {
    if (actualPort < 0) {
      throw new IllegalStateException("endpoint " + initial.id() + " is not listening yet");
    }
    return actualPort;
  }

  /** {@code http://host:port}; valid once the deployment succeeded. */
  public String baseUrl() {
    return "http://" + initial.host() + ":" + actualPort();
  }

  public String id() {
    return initial.id();
  }

  @Override
  public Future<?> start() {
    settings = initial;
    latency = new LatencyModel(settings.medianMs(), settings.p99Ms());
    slots = new SlotQueue<>(settings.maxConcurrent(), settings.queueLimit());
    random = new SplittableRandom(settings.seed());
    for (String model : settings.models()) {
      runningByModel.put(model, 0);
      waitingByModel.put(model, 0);
    }
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post("/v1/chat/completions").handler(ctx -> generate(ctx, true));
    router.post("/v1/completions").handler(ctx -> generate(ctx, false));
    router.post("/v1/embeddings").handler(this::embeddings);
    router.get("/v1/models").handler(ctx -> json(ctx, 200, OpenAiBodies.models(settings.models(), now())));
    router.post("/v2/models/:model/infer").handler(this::infer);
    router.get("/v2/models/:model/ready").handler(this::ready);
    router.get("/v2/health/live").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/v2/health/ready").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(SimMetrics.render(settings.id(), runningByModel, waitingByModel, served, errors, rejected, cancelled)));
    router.get("/admin/settings").handler(ctx -> json(ctx, 200, settings.toJson()));
    router.put("/admin/settings").handler(this::updateSettings);
    router.get("/admin/stats").handler(ctx -> json(ctx, 200, stats()));
    router.errorHandler(404, ctx -> error(ctx, ErrorCode.NOT_FOUND, "no route " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed"));
    router.errorHandler(413, ctx -> error(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large"));
    router.errorHandler(500, ctx -> {
      LOG.warn("simulated endpoint {} failed a request", settings.id(), ctx.failure());
      error(ctx, ErrorCode.INTERNAL, "internal error");
    });
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(settings.port(), settings.host())
        .map(server -> {
          actualPort = server.actualPort();
          settings = settings.withPort(actualPort);
          LOG.info("simulated endpoint {} listening on {} serving {}", settings.id(), baseUrl(), settings.models());
          return server;
        });
  }

  // ---- inference routes ----

  private void generate(RoutingContext ctx, boolean chat) {
    Generation g;
    try {
      JsonObject body = SimRequests.object(ctx.body().buffer());
      g = chat ? SimRequests.chat(body, settings.defaultMaxTokens()) : SimRequests.completion(body, settings.defaultMaxTokens());
    } catch (BadRequest e) {
      error(ctx, e.code, e.getMessage());
      return;
    }
    if (!settings.models().contains(g.model())) {
      error(ctx, ErrorCode.MODEL_NOT_FOUND, "The model '" + g.model() + "' does not exist");
      return;
    }
    admit(ctx, g.model(), slot -> {
      if (g.stream()) {
        stream(ctx, slot, chat, g);
      } else {
        complete(ctx, slot, chat, g);
      }
    });
  }

  private void complete(RoutingContext ctx, Slot slot, boolean chat, Generation g) {
    boolean fail = random.nextDouble() < settings.errorRate();
    double ms = latency.sample(random) + (fail ? 0 : g.outputTokens() * settings.timePerOutputTokenMs());
    String text = fail ? "" : SimText.words(g.outputTokens(), random);
    after(slot, ms, () -> {
      finish(slot);
      if (fail) {
        simulatedFailure(ctx);
        return;
      }
      served++;
      String id = nextId(chat ? "chatcmpl" : "cmpl");
      json(ctx, 200, chat
          ? OpenAiBodies.chatCompletion(id, now(), g.model(), text, g.promptTokens(), g.outputTokens())
          : OpenAiBodies.textCompletion(id, now(), g.model(), text, g.promptTokens(), g.outputTokens()));
    });
  }

  private void stream(RoutingContext ctx, Slot slot, boolean chat, Generation g) {
    boolean fail = random.nextDouble() < settings.errorRate();
    double timeToFirstToken = latency.sample(random);
    after(slot, timeToFirstToken, () -> {
      if (fail) {
        finish(slot);
        simulatedFailure(ctx);
        return;
      }
      ctx.response()
          .setStatusCode(200)
          .setChunked(true)
          .putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      emitTokens(ctx, slot, new StreamState(chat, nextId(chat ? "chatcmpl" : "cmpl"), now(), g), 0);
    });
  }

  private record StreamState(boolean chat, String id, long created, Generation g) {}

  /** Writes token {@code index} and schedules the next; after the last, the usage and [DONE]. */
  private void emitTokens(RoutingContext ctx, Slot slot, StreamState s, int index) {
    HttpServerResponse response = ctx.response();
    int total = s.g().outputTokens();
    long pace = Math.round(settings.timePerOutputTokenMs());
    int i = index;
    while (i < total) {
      String piece = (i == 0 ? "" : " ") + SimText.word(random);
      response.write(OpenAiBodies.sse(OpenAiBodies.tokenChunk(s.chat(), s.id(), s.created(), s.g().model(), piece, i == 0, i == total - 1)));
      i++;
      if (i < total && pace > 0) {
        int next = i;
        after(slot, pace, () -> emitTokens(ctx, slot, s, next));
        return;
      }
    }
    response.write(OpenAiBodies.sse(OpenAiBodies.usageChunk(s.chat(), s.id(), s.created(), s.g().model(), s.g().promptTokens(), total)));
    finish(slot);
    served++;
    response.end(OpenAiBodies.SSE_DONE);
  }

  private void embeddings(RoutingContext ctx) {
    Embeddings e;
    try {
      e = SimRequests.embeddings(SimRequests.object(ctx.body().buffer()));
    } catch (BadRequest bad) {
      error(ctx, bad.code, bad.getMessage());
      return;
    }
    if (!settings.models().contains(e.model())) {
      error(ctx, ErrorCode.MODEL_NOT_FOUND, "The model '" + e.model() + "' does not exist");
      return;
    }
    admit(ctx, e.model(), slot -> afterLatency(ctx, slot,
        () -> json(ctx, 200, OpenAiBodies.embeddings(e.model(), e.inputs(), e.promptTokens(), EMBEDDING_DIMS))));
  }

  private void infer(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    if (!settings.models().contains(model)) {
      json(ctx, 404, new JsonObject().put("error", "Model " + model + " not found"));
      return;
    }
    JsonObject body;
    JsonArray inputs;
    try {
      body = SimRequests.object(ctx.body().buffer());
      inputs = SimRequests.inferInputs(body);
    } catch (BadRequest bad) {
      json(ctx, 400, new JsonObject().put("error", bad.getMessage()));
      return;
    }
    String id = body.getValue("id") instanceof String s ? s : nextId("infer");
    admit(ctx, model, slot -> afterLatency(ctx, slot, () -> json(ctx, 200, OpenAiBodies.inferResponse(model, id, inputs))));
  }

  private void ready(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    boolean served = settings.models().contains(model);
    json(ctx, served ? 200 : 404, served
        ? new JsonObject().put("name", model).put("ready", true)
        : new JsonObject().put("error", "Model " + model + " not found"));
  }

  /** A one-shot request: holds its slot for a sampled latency, then answers (or fails). */
  private void afterLatency(RoutingContext ctx, Slot slot, Runnable answer) {
    boolean fail = random.nextDouble() < settings.errorRate();
    after(slot, latency.sample(random), () -> {
      finish(slot);
      if (fail) {
        simulatedFailure(ctx);
      } else {
        served++;
        answer.run();
      }
    });
  }

  private void simulatedFailure(RoutingContext ctx) {
    errors++;
    error(ctx, ErrorCode.INTERNAL, "simulated failure of endpoint " + settings.id());
  }

  // ---- admission: slots and the waiting queue ----

  /** A request that wants a slot: where it is, what it does once it has one, its pending timer. */
  private static final class Slot {
    enum State { NEW, WAITING, RUNNING, DONE }

    final String model;
    final Consumer<Slot> work;
    State state = State.NEW;
    long timerId = -1;

    Slot(String model, Consumer<Slot> work) {
      this.model = model;
      this.work = work;
    }
  }

  private void admit(RoutingContext ctx, String model, Consumer<Slot> work) {
    Slot slot = new Slot(model, work);
    switch (slots.offer(slot)) {
      case ADMITTED -> {
        ctx.response().closeHandler(v -> abandon(slot));
        run(slot);
      }
      case QUEUED -> {
        ctx.response().closeHandler(v -> abandon(slot));
        slot.state = Slot.State.WAITING;
        waitingByModel.merge(model, 1, Integer::sum);
      }
      case REJECTED -> {
        rejected++;
        ctx.response().putHeader("Retry-After", "1");
        error(ctx, ErrorCode.QUEUE_FULL, "endpoint " + settings.id() + " is at capacity and its queue is full");
      }
    }
  }

  private void run(Slot slot) {
    slot.state = Slot.State.RUNNING;
    runningByModel.merge(slot.model, 1, Integer::sum);
    slot.work.accept(slot);
  }

  /** Schedules {@code action} while {@code slot} still runs (a client gone cancels it). */
  private void after(Slot slot, double ms, Runnable action) {
    slot.timerId = vertx.setTimer(Math.max(1, Math.round(ms)), id -> {
      slot.timerId = -1;
      if (slot.state == Slot.State.RUNNING) {
        action.run();
      }
    });
  }

  /** Frees the slot of a running request and starts whoever waited for one. */
  private void finish(Slot slot) {
    if (slot.state != Slot.State.RUNNING) {
      return;
    }
    slot.state = Slot.State.DONE;
    if (slot.timerId >= 0) {
      vertx.cancelTimer(slot.timerId);
      slot.timerId = -1;
    }
    runningByModel.merge(slot.model, -1, Integer::sum);
    startAll(slots.release());
  }

  private void startAll(Iterable<Slot> granted) {
    for (Slot next : granted) {
      waitingByModel.merge(next.model, -1, Integer::sum);
      run(next);
    }
  }

  /** The client went away: leave the queue, or stop the work and free the slot. */
  private void abandon(Slot slot) {
    if (slot.state == Slot.State.WAITING) {
      slots.cancel(slot);
      slot.state = Slot.State.DONE;
      waitingByModel.merge(slot.model, -1, Integer::sum);
      cancelled++;
    } else if (slot.state == Slot.State.RUNNING) {
      cancelled++;
      finish(slot);
    }
  }

  // ---- admin ----

  private void updateSettings(RoutingContext ctx) {
    SimEndpointSettings changed;
    try {
      changed = settings.withChanges(SimRequests.object(ctx.body().buffer()));
    } catch (BadRequest bad) {
      error(ctx, bad.code, bad.getMessage());
      return;
    } catch (ConfigException bad) {
      error(ctx, ErrorCode.BAD_REQUEST, String.join("; ", bad.problems().stream().map(Object::toString).toList()));
      return;
    }
    settings = changed;
    latency = new LatencyModel(changed.medianMs(), changed.p99Ms());
    LOG.info("simulated endpoint {} settings changed to {}", changed.id(), changed.toJson().encode());
    startAll(slots.resize(changed.maxConcurrent(), changed.queueLimit()));
    json(ctx, 200, changed.toJson());
  }

  private JsonObject stats() {
    return new JsonObject()
        .put("served", served)
        .put("errors", errors)
        .put("rejected", rejected)
        .put("cancelled", cancelled)
        .put("running", slots.running())
        .put("waiting", slots.waiting());
  }

  // ---- helpers ----

  private String nextId(String prefix) {
    return prefix + "-" + settings.id() + "-" + (++sequence);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static void error(RoutingContext ctx, ErrorCode code, String message) {
    json(ctx, code.httpStatus(), OpenAiBodies.error(code, message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      if (!response.ended() && !response.closed()) {
        response.reset();
      }
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
  }
}

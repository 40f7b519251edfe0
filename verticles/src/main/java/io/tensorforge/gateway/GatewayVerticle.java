package io.tensorforge.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tensorforge.bus.Addresses;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.fulfillment.UpstreamClient;
import io.tensorforge.security.Caller;
import io.tensorforge.security.StaticKeyAuthenticator;
import io.tensorforge.telemetry.RequestMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The HTTP face of the node: data-plane routes (OpenAI-compatible and KServe V2), the admin API,
 * health, readiness and metrics. It authenticates, checks input, and hands each request to
 * intake and fulfillment; it decides nothing itself. Deploy several instances: each has its own
 * router and upstream client and shares the listening port.
 */
public final class GatewayVerticle extends VerticleBase {

  private final PlatformSettings settings;
  private final PrometheusMeterRegistry registry;
  private UpstreamClient upstream;
  private HttpServer server;

  public GatewayVerticle(PlatformSettings settings, PrometheusMeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    upstream = new UpstreamClient(vertx, settings.fulfillment());
    StaticKeyAuthenticator auth = new StaticKeyAuthenticator(settings);
    DataPlaneHandler dataPlane = new DataPlaneHandler(vertx, settings, upstream, new RequestMetrics(registry));
    ModelsHandler models = new ModelsHandler(vertx);
    AdminHandler admin = new AdminHandler(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.gateway().maxBodyBytes());

    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));

    router.route("/v1/*").handler(ctx -> authenticate(ctx, auth, false));
    router.route("/v2/*").handler(ctx -> authenticate(ctx, auth, false));
    router.route("/api/*").handler(ctx -> authenticate(ctx, auth, true));

    router.post("/v1/chat/completions").handler(body).handler(dataPlane::openAi);
    router.post("/v1/completions").handler(body).handler(dataPlane::openAi);
    router.post("/v1/embeddings").handler(body).handler(dataPlane::openAi);
    router.get("/v1/models").handler(models::list);
    router.post("/v2/models/:model/infer").handler(body).handler(dataPlane::kserveInfer);
    router.get("/v2/models/:model/ready").handler(models::ready);

    router.get("/api/intake").handler(admin::intake);
    router.get("/api/usage").handler(admin::usage);
    router.get("/api/endpoints").handler(admin::listEndpoints);
    router.post("/api/endpoints").handler(body).handler(admin::register);
    router.get("/api/endpoints/:id").handler(admin::getEndpoint);
    router.delete("/api/endpoints/:id").handler(admin::deregister);
    router.post("/api/endpoints/:id/up").handler(ctx -> admin.setState(ctx, true));
    router.post("/api/endpoints/:id/down").handler(ctx -> admin.setState(ctx, false));

    router.errorHandler(404, ctx -> ErrorResponder.send(ctx, ErrorCode.NOT_FOUND, "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> ErrorResponder.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method " + ctx.request().method() + " is not allowed here"));
    router.errorHandler(413, ctx -> ErrorResponder.send(ctx, ErrorCode.PAYLOAD_TOO_LARGE,
        "the request body is larger than " + settings.gateway().maxBodyBytes() + " bytes"));
    router.errorHandler(400, ctx -> ErrorResponder.send(ctx, ErrorCode.BAD_REQUEST, "the request could not be read"));
    router.errorHandler(500, ctx -> ErrorResponder.send(ctx, ErrorCode.INTERNAL, "the gateway failed to handle the request"));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.gateway().host())
        .setPort(settings.gateway().port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false);
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return upstream == null ? Future.succeededFuture() : upstream.close();
  }

  /** Ready when intake answers and the configured stores are reachable. */
  private void ready(RoutingContext ctx) {
    Future<JsonObject> stores = vertx.eventBus().<JsonObject>request(Addresses.STORES_HEALTH, new JsonObject())
        .map(m -> m.body());
    Future<JsonObject> intake = vertx.eventBus().<JsonObject>request(Addresses.INTAKE_SNAPSHOT, new JsonObject())
        .map(m -> new JsonObject().put("status", "up").put("queueDepth", m.body().getInteger("queueDepth")));
    Future.join(stores, intake).onComplete(ar -> {
      JsonObject checks = new JsonObject()
          .put("stores", stores.succeeded() ? stores.result() : new JsonObject().put("status", "down"))
          .put("intake", intake.succeeded() ? intake.result() : new JsonObject().put("status", "down"));
      boolean up = stores.succeeded() && "up".equals(stores.result().getString("status")) && intake.succeeded();
      if (!up) {
        ctx.response().putHeader("Retry-After", "1");
      }
      json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "up" : "down").put("checks", checks));
    });
  }

  private static void authenticate(RoutingContext ctx, StaticKeyAuthenticator auth, boolean adminRoute) {
    StaticKeyAuthenticator.Result result = auth.authenticate(ctx.request().getHeader("Authorization"));
    if (!result.ok()) {
      ErrorResponder.send(ctx, result.error(), result.message());
      return;
    }
    if (adminRoute != result.caller().admin()) {
      ErrorResponder.send(ctx, ErrorCode.FORBIDDEN, adminRoute
          ? "this key may not use the admin API" : "admin keys may not send inference traffic");
      return;
    }
    ctx.put(Caller.CONTEXT_KEY, result.caller());
    ctx.next();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  /** The port this instance listens on (useful when configured as 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}

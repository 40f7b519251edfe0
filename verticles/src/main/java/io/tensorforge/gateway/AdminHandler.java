package io.tensorforge.gateway;

import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.Failures;
import io.tensorforge.domain.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The admin API under {@code /api}: the endpoint table. Each route is a bus request to its owner. */
final class AdminHandler {

  private final Vertx vertx;

  AdminHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code GET /api/endpoints}: the table with this node's load and observed latency. */
  void listEndpoints(RoutingContext ctx) {
    reply(ctx, 200, vertx.eventBus().<JsonObject>request(Addresses.INTAKE_SNAPSHOT, new JsonObject())
        .map(m -> new JsonObject().put("endpoints", m.body().getJsonArray("endpoints"))));
  }

  /** {@code GET /api/intake}: this node's queue depth, leases held, models and their strategies. */
  void intake(RoutingContext ctx) {
    reply(ctx, 200, vertx.eventBus().<JsonObject>request(Addresses.INTAKE_SNAPSHOT, new JsonObject())
        .map(m -> m.body().copy().put("endpoints", m.body().getJsonArray("endpoints").size())));
  }

  /** {@code GET /api/usage}: usage and spend per tenant, model and key on this node, and budgets. */
  void usage(RoutingContext ctx) {
    reply(ctx, 200, request(Addresses.ADMISSION_USAGE, new JsonObject()));
  }

  /** {@code GET /api/endpoints/:id}. */
  void getEndpoint(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    reply(ctx, 200, vertx.eventBus().<JsonObject>request(Addresses.INTAKE_SNAPSHOT, new JsonObject())
        .compose(m -> {
          JsonArray all = m.body().getJsonArray("endpoints");
          for (int i = 0; i < all.size(); i++) {
            if (id.equals(all.getJsonObject(i).getString("id"))) {
              return Future.succeededFuture(all.getJsonObject(i));
            }
          }
          return Future.failedFuture(Failures.of(ErrorCode.ENDPOINT_NOT_FOUND, "no endpoint '" + id + "'"));
        }));
  }

  /** {@code POST /api/endpoints}: register; 409 if the id is taken. */
  void register(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body is not a valid JSON object");
      return;
    }
    if (body == null) {
      ErrorResponder.send(ctx, ErrorCode.INVALID_JSON, "the request body must be a JSON object");
      return;
    }
    body.remove("replace");
    reply(ctx, 201, request(Addresses.ROUTING_REGISTER, body));
  }

  /** {@code DELETE /api/endpoints/:id}. */
  void deregister(RoutingContext ctx) {
    reply(ctx, 200, request(Addresses.ROUTING_DEREGISTER, new JsonObject().put("id", ctx.pathParam("id"))));
  }

  /** {@code POST /api/endpoints/:id/up} and {@code /down}. */
  void setState(RoutingContext ctx, boolean up) {
    reply(ctx, 200, request(Addresses.ROUTING_SET_STATE, new JsonObject().put("id", ctx.pathParam("id")).put("up", up)));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result
        .onSuccess(json -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .end(json.toBuffer()))
        .onFailure(err -> ErrorResponder.send(ctx, Failures.codeOf(err), Failures.messageOf(err)));
  }
}

package io.tensorforge.gateway;

import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.Failures;
import io.tensorforge.domain.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;

/** What models this node serves: {@code GET /v1/models} and KServe's {@code GET /v2/models/:model/ready}. */
final class ModelsHandler {

  private final Vertx vertx;

  ModelsHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  void list(RoutingContext ctx) {
    snapshot(ctx, snap -> {
      Set<String> names = new TreeSet<>(snap.getJsonObject("models").fieldNames());
      JsonArray data = new JsonArray();
      names.forEach(n -> data.add(new JsonObject().put("id", n).put("object", "model").put("owned_by", "tensorforge")));
      json(ctx, 200, new JsonObject().put("object", "list").put("data", data));
    });
  }

  void ready(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    snapshot(ctx, snap -> {
      if (!snap.getJsonObject("models").containsKey(model)) {
        ErrorResponder.send(ctx, ErrorCode.MODEL_NOT_FOUND, "model '" + model + "' is not served here");
        return;
      }
      JsonArray endpoints = snap.getJsonArray("endpoints");
      boolean anyUp = false;
      for (int i = 0; i < endpoints.size(); i++) {
        JsonObject e = endpoints.getJsonObject(i);
        anyUp |= e.getBoolean("up") && e.getJsonArray("models").contains(model);
      }
      if (!anyUp) {
        ErrorResponder.send(ctx, ErrorCode.NO_HEALTHY_ENDPOINT, "no endpoint of model '" + model + "' takes traffic", 1000);
        return;
      }
      json(ctx, 200, new JsonObject().put("name", model).put("ready", true));
    });
  }

  private void snapshot(RoutingContext ctx, java.util.function.Consumer<JsonObject> then) {
    vertx.eventBus().<JsonObject>request(Addresses.INTAKE_SNAPSHOT, new JsonObject())
        .onSuccess(m -> then.accept(m.body()))
        .onFailure(err -> ErrorResponder.send(ctx, Failures.codeOf(err), Failures.messageOf(err), 1000));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}

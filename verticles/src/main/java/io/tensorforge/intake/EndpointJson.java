package io.tensorforge.intake;

import io.tensorforge.domain.routing.EndpointSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON form of an endpoint registration, as routing publishes it. */
public final class EndpointJson {

  private EndpointJson() {}

  public static JsonObject of(EndpointSpec spec, boolean up) {
    return new JsonObject()
        .put("id", spec.id())
        .put("url", spec.url())
        .put("models", new JsonArray(spec.models()))
        .put("maxConcurrent", spec.maxConcurrent())
        .put("up", up);
  }

  public static EndpointSpec spec(JsonObject json) {
    return new EndpointSpec(
        json.getString("id"),
        json.getString("url"),
        json.getJsonArray("models").getList(),
        json.getInteger("maxConcurrent"));
  }

  public static boolean up(JsonObject json) {
    return json.getBoolean("up", true);
  }
}

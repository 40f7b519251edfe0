package io.tensorforge.routing;

import io.tensorforge.bus.Addresses;
import io.tensorforge.config.ConfigReader;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.intake.EndpointJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint table: which endpoints exist, which models they serve, and whether they take
 * traffic. Every change is published as JSON on {@link Addresses#ROUTING_ENDPOINT_CHANGED} so
 * every scheduler (on this node or, in a cluster, on others) keeps its own view. Health probes
 * and drain will live here too.
 */
public final class RoutingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingVerticle.class);

  private final List<EndpointSpec> initial;
  private final Map<String, Entry> table = new LinkedHashMap<>();

  private record Entry(EndpointSpec spec, boolean up) {
    JsonObject json() {
      return EndpointJson.of(spec, up);
    }
  }

  public RoutingVerticle(List<EndpointSpec> initial) {
    this.initial = List.copyOf(initial);
  }

  @Override
  public Future<?> start() {
    initial.forEach(spec -> table.put(spec.id(), new Entry(spec, true)));
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.ROUTING_REGISTER, this::register).completion(),
        bus.<JsonObject>consumer(Addresses.ROUTING_DEREGISTER, this::deregister).completion(),
        bus.<JsonObject>consumer(Addresses.ROUTING_SET_STATE, this::setState).completion(),
        bus.<JsonObject>consumer(Addresses.ROUTING_LIST, m -> m.reply(list())).completion());
  }

  private void register(Message<JsonObject> m) {
    JsonObject body = m.body();
    ConfigReader reader = ConfigReader.root(body);
    EndpointSpec spec = PlatformSettings.endpoint(reader);
    if (spec == null || !reader.valid()) {
      m.fail(ErrorCode.BAD_REQUEST.number(), reader.describeProblems());
      return;
    }
    boolean replace = body.getBoolean("replace", false);
    if (table.containsKey(spec.id()) && !replace) {
      m.fail(ErrorCode.ENDPOINT_EXISTS.number(), "endpoint '" + spec.id() + "' is already registered");
      return;
    }
    Entry entry = new Entry(spec, body.getBoolean("up", true));
    table.put(spec.id(), entry);
    LOG.info("endpoint {} registered at {} for {}", spec.id(), spec.url(), spec.models());
    publish("upserted", entry.json());
    m.reply(entry.json());
  }

  private void deregister(Message<JsonObject> m) {
    String id = m.body().getString("id");
    Entry removed = id == null ? null : table.remove(id);
    if (removed == null) {
      m.fail(ErrorCode.ENDPOINT_NOT_FOUND.number(), "no endpoint '" + id + "'");
      return;
    }
    LOG.info("endpoint {} deregistered", id);
    publish("removed", removed.json());
    m.reply(removed.json());
  }

  private void setState(Message<JsonObject> m) {
    String id = m.body().getString("id");
    Entry entry = id == null ? null : table.get(id);
    if (entry == null) {
      m.fail(ErrorCode.ENDPOINT_NOT_FOUND.number(), "no endpoint '" + id + "'");
      return;
    }
    Entry changed = new Entry(entry.spec(), m.body().getBoolean("up", true));
    table.put(id, changed);
    LOG.info("endpoint {} marked {}", id, changed.up() ? "up" : "down");
    publish("upserted", changed.json());
    m.reply(changed.json());
  }

  private JsonObject list() {
    JsonArray endpoints = new JsonArray();
    table.values().forEach(e -> endpoints.add(e.json()));
    return new JsonObject().put("endpoints", endpoints);
  }

  private void publish(String change, JsonObject endpoint) {
    vertx.eventBus().publish(Addresses.ROUTING_ENDPOINT_CHANGED,
        new JsonObject().put("change", change).put("endpoint", endpoint));
  }
}

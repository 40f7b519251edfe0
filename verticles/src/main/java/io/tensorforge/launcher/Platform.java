package io.tensorforge.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tensorforge.admission.AdmissionGrant;
import io.tensorforge.admission.AdmissionRequest;
import io.tensorforge.admission.AdmissionVerticle;
import io.tensorforge.admission.Settlement;
import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.LocalCodec;
import io.tensorforge.config.ConfigLoader;
import io.tensorforge.config.LaunchOptions;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.intake.Lease;
import io.tensorforge.fleet.SimEndpointSettings;
import io.tensorforge.fleet.SimulatedEndpointVerticle;
import io.tensorforge.gateway.GatewayVerticle;
import io.tensorforge.intake.AdmitRequest;
import io.tensorforge.intake.IntakeVerticle;
import io.tensorforge.intake.LeaseRelease;
import io.tensorforge.bus.Refusal;
import io.tensorforge.routing.RoutingVerticle;
import io.tensorforge.store.StoresVerticle;
import io.tensorforge.telemetry.Telemetry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its Vert.x instance, its meter registry and every service verticle,
 * deployed in dependency order (stores, routing, intake, the simulated fleet, gateways).
 */
public final class Platform {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final Vertx vertx;
  private final PlatformSettings settings;
  private final PrometheusMeterRegistry registry;
  private final Map<String, String> fleetUrls;

  private Platform(Vertx vertx, PlatformSettings settings, PrometheusMeterRegistry registry, Map<String, String> fleetUrls) {
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.fleetUrls = Map.copyOf(fleetUrls);
  }

  /**
   * Loads and validates the configuration, then starts a node. An invalid configuration fails
   * the start with a {@link io.tensorforge.config.ConfigException} naming every bad key; nothing
   * is left running.
   */
  public static Future<Platform> start(LaunchOptions options) {
    PrometheusMeterRegistry registry = Telemetry.newRegistry();
    Vertx vertx = newVertx(registry);
    return ConfigLoader.load(vertx, options)
        .compose(settings -> deploy(vertx, settings, registry))
        .recover(err -> {
          // not awaited: a continuation on a closing instance's event loop could not run
          vertx.close();
          return Future.failedFuture(err);
        });
  }

  /** Starts a node with settings already validated. */
  public static Future<Platform> start(PlatformSettings settings) {
    PrometheusMeterRegistry registry = Telemetry.newRegistry();
    Vertx vertx = newVertx(registry);
    return deploy(vertx, settings, registry)
        .recover(err -> {
          // not awaited: a continuation on a closing instance's event loop could not run
          vertx.close();
          return Future.failedFuture(err);
        });
  }

  private static Vertx newVertx(PrometheusMeterRegistry registry) {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setPreferNativeTransport(true)
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    LocalCodec.register(vertx.eventBus(), AdmitRequest.class);
    LocalCodec.register(vertx.eventBus(), Lease.class);
    LocalCodec.register(vertx.eventBus(), LeaseRelease.class);
    LocalCodec.register(vertx.eventBus(), Refusal.class);
    LocalCodec.register(vertx.eventBus(), AdmissionRequest.class);
    LocalCodec.register(vertx.eventBus(), AdmissionGrant.class);
    LocalCodec.register(vertx.eventBus(), Settlement.class);
    return vertx;
  }

  private static Future<Platform> deploy(Vertx vertx, PlatformSettings settings, PrometheusMeterRegistry registry) {
    Map<String, String> fleetUrls = new LinkedHashMap<>();
    return vertx.deployVerticle(new StoresVerticle(settings.stores()))
        .compose(id -> vertx.deployVerticle(new AdmissionVerticle(settings)))
        .compose(id -> vertx.deployVerticle(new RoutingVerticle(settings.routing().endpoints())))
        .compose(id -> vertx.deployVerticle(new IntakeVerticle(
            settings.routing().schedulerSettings(settings.intake(), settings.tenants()), settings.routing()::strategyFor, registry,
            settings.nodeName().hashCode())))
        .compose(id -> deployFleet(vertx, settings, fleetUrls))
        .compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(settings, registry),
            new DeploymentOptions().setInstances(settings.gateway().instances())))
        .map(id -> {
          LOG.info("TensorForge node '{}' listening on {}:{} with {} endpoint(s) in the table ({} transport)",
              settings.nodeName(), settings.gateway().host(), settings.gateway().port(),
              settings.routing().endpoints().size() + fleetUrls.size(),
              vertx.isNativeTransportEnabled() ? "native" : "NIO");
          return new Platform(vertx, settings, registry, fleetUrls);
        });
  }

  private static Future<Void> deployFleet(Vertx vertx, PlatformSettings settings, Map<String, String> urls) {
    Future<Void> chain = Future.succeededFuture();
    if (!settings.fleet().enabled()) {
      return chain;
    }
    for (SimEndpointSettings sim : settings.fleet().endpoints()) {
      SimulatedEndpointVerticle verticle = new SimulatedEndpointVerticle(sim);
      chain = chain
          .compose(v -> vertx.deployVerticle(verticle))
          .compose(id -> {
            urls.put(sim.id(), verticle.baseUrl());
            if (!sim.register()) {
              return Future.succeededFuture();
            }
            JsonObject registration = new JsonObject()
                .put("id", sim.id())
                .put("url", verticle.baseUrl())
                .put("models", new JsonArray(sim.models()))
                .put("maxConcurrent", sim.maxConcurrent())
                .put("replace", true);
            return vertx.eventBus().request(Addresses.ROUTING_REGISTER, registration).mapEmpty();
          });
    }
    return chain;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PlatformSettings settings() {
    return settings;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The base URL of each simulated endpoint started on this node, by id. */
  public Map<String, String> fleetUrls() {
    return fleetUrls;
  }

  public Future<Void> close() {
    return vertx.close();
  }
}

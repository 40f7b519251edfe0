package io.tensorforge.store;

import io.tensorforge.bus.Addresses;
import io.tensorforge.config.PlatformSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Owns the connections to the production stores when the profile names them: a reactive
 * PostgreSQL pool and a Redis client. At start it checks each one and refuses to start if a
 * configured store cannot be reached; afterwards it answers health checks. The adapters behind
 * the storage ports (event log, ledger, identity, limits) are built on these connections.
 */
public final class StoresVerticle extends VerticleBase {

  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final PlatformSettings.Stores settings;
  private Pool postgres;
  private Redis redisClient;
  private RedisAPI redis;

  public StoresVerticle(PlatformSettings.Stores settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    if (settings.usesPostgres()) {
      PlatformSettings.Postgres pg = settings.postgres();
      postgres = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(pg.poolSize()))
          .connectingTo(new PgConnectOptions()
              .setHost(pg.host()).setPort(pg.port()).setDatabase(pg.database())
              .setUser(pg.user()).setPassword(pg.password()))
          .using(vertx)
          .build();
    }
    if (settings.usesRedis()) {
      redisClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(settings.redis().url()));
      redis = RedisAPI.api(redisClient);
    }
    return checks().compose(checks -> {
      if (!"up".equals(checks.getString("status"))) {
        return Future.failedFuture(new IllegalStateException("a configured store cannot be reached: " + checks.getJsonObject("checks").encode()));
      }
      return vertx.eventBus().<JsonObject>consumer(Addresses.STORES_HEALTH, m -> checks().onComplete(ar -> m.reply(ar.result())))
          .completion();
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> pg = postgres == null ? Future.succeededFuture() : postgres.close();
    if (redisClient != null) {
      redisClient.close();
    }
    return pg;
  }

  /** Each configured store's state; never fails. */
  private Future<JsonObject> checks() {
    Future<String> pg = postgres == null ? Future.succeededFuture("not used")
        : check(postgres.query("SELECT 1").execute().map(rows -> "up"));
    Future<String> rd = redis == null ? Future.succeededFuture("not used")
        : check(redis.ping(List.of()).map(pong -> "up"));
    return Future.join(pg, rd).transform(ar -> {
      boolean up = !pg.result().startsWith("down") && !rd.result().startsWith("down");
      return Future.succeededFuture(new JsonObject()
          .put("status", up ? "up" : "down")
          .put("kind", settings.kind())
          .put("limitsKind", settings.limitsKind())
          .put("checks", new JsonObject().put("postgres", pg.result()).put("redis", rd.result())));
    });
  }

  private static Future<String> check(Future<String> probe) {
    return probe.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> Future.succeededFuture("down: " + err.getClass().getSimpleName()));
  }
}

package io.tensorforge.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A client of the Redis at 127.0.0.1:6379 whose keys all start with a random prefix, and that
 * deletes exactly those keys when closed: tests never see or touch each other's keys.
 */
final class RedisTestSupport {

  static final String URL = "redis://127.0.0.1:6379";

  final String prefix = "tf-test:" + UUID.randomUUID() + ":";
  final Redis client;
  final RedisAPI api;

  RedisTestSupport(Vertx vertx) {
    client = Redis.createClient(vertx, new RedisOptions().setConnectionString(URL)
        .setMaxPoolSize(8).setMaxPoolWaiting(1_000));
    api = RedisAPI.api(client);
  }

  /** Deletes this test's keys, then closes the client. */
  Future<Void> cleanUpAndClose() {
    return deleteFrom("0").eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  private Future<Void> deleteFrom(String cursor) {
    return api.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000")).compose(r -> {
      String next = r.get(0).toString();
      List<String> keys = new ArrayList<>();
      for (Response k : r.get(1)) {
        keys.add(k.toString());
      }
      Future<?> deleted = keys.isEmpty() ? Future.succeededFuture() : api.del(keys);
      return deleted.compose(d -> "0".equals(next) ? Future.succeededFuture() : deleteFrom(next));
    });
  }
}

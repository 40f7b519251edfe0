package io.tensorforge.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LuaScriptTest {

  private Redis client;
  private RedisAPI redis;

  @BeforeEach
  void connect(Vertx vertx) {
    client = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    redis = RedisAPI.api(client);
  }

  @AfterEach
  void close() {
    client.close();
  }

  /** A script Redis has never seen (a fresh comment changes its SHA-1): EVALSHA, NOSCRIPT, EVAL. */
  @Test
  void anUnknownScriptIsSentInFullOnceThenRunBySha(VertxTestContext ctx) {
    LuaScript script = new LuaScript("-- " + UUID.randomUUID() + "\nreturn tonumber(ARGV[1]) + 1");
    redis.script(List.of("EXISTS", script.sha1()))
        .compose(before -> script.run(redis, List.of(), List.of("41"))
            .compose(answer -> redis.script(List.of("EXISTS", script.sha1()))
                .map(after -> List.of(before.get(0).toInteger(), answer.toInteger(), after.get(0).toInteger()))))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(0, 42, 1), v, "not cached, answered, cached by the EVAL");
          ctx.completeNow();
        })));
  }

  @Test
  void otherScriptErrorsFailTheFuture(VertxTestContext ctx) {
    new LuaScript("return redis.call('NO-SUCH-COMMAND')").run(redis, List.of(), List.of())
        .onComplete(ctx.failingThenComplete());
  }
}

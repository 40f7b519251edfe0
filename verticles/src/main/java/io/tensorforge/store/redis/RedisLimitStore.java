package io.tensorforge.store.redis;

import io.tensorforge.domain.limits.Gcra;
import io.tensorforge.store.LimitDecision;
import io.tensorforge.store.LimitStore;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Objects;

/**
 * Rate limits shared by every node: the same GCRA as {@link Gcra}, run atomically inside Redis
 * by one Lua script, on Redis's own clock ({@code TIME}), so nodes with skewed clocks agree.
 *
 * <p>Each limit is one string key, {@code <prefix>limit:<key>}, holding its TAT as a decimal
 * count of microseconds. The script reads it, decides, and writes the new TAT with a {@code PX}
 * expiry equal to the time until the limit is full again, after which no state is the same as
 * the expired state: an idle limit leaves nothing behind. Lua numbers are doubles, exact below
 * 2^53; the bounds of {@link Gcra} keep every intermediate value below that, and the script
 * divides with a corrected floor so its results equal the Java ones exactly.
 */
public final class RedisLimitStore implements LimitStore {

  static final LuaScript GCRA = new LuaScript("""
      -- GCRA (see io.tensorforge.domain.limits.Gcra). KEYS[1]: the TAT in µs.
      -- ARGV: mode ('acquire' | 'adjust'), cost (adjust: may be < 0), ratePerMinute, burst.
      -- acquire returns {allowed 0|1, retryAfterMs (-1 = never), remaining}; adjust returns 1.
      local M = 60000000
      local MAX_DEBT = 6000000000000000
      local function fdiv(a, b) -- floor(a / b), exact for 0 <= a < 2^53, b > 0
        local q = math.floor(a / b)
        if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
        return q
      end
      local function cdiv(a, b) return fdiv(a + b - 1, b) end
      local mode, cost = ARGV[1], tonumber(ARGV[2])
      local rate, burst = tonumber(ARGV[3]), tonumber(ARGV[4])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tat < now then tat = now end
      local function save(newTat)
        if newTat > now then
          redis.call('SET', KEYS[1], string.format('%.0f', newTat),
            'PX', string.format('%.0f', cdiv(newTat - now, 1000)))
        else
          redis.call('DEL', KEYS[1])
        end
      end
      local function remaining(debt)
        if debt > fdiv(burst * M, rate) then return 0 end
        return burst - cdiv(debt * rate, M)
      end
      if mode == 'adjust' then
        if cost >= 0 then
          save(math.min(tat + cdiv(cost * M, rate), now + MAX_DEBT))
        else
          save(math.max(tat - fdiv(-cost * M, rate), now))
        end
        return 1
      end
      local debt = tat - now
      if cost > burst then return {0, -1, remaining(debt)} end
      local allowance = fdiv((burst - cost) * M, rate)
      if debt <= allowance then
        local newTat = tat + cdiv(cost * M, rate)
        save(newTat)
        return {1, 0, remaining(newTat - now)}
      end
      return {0, cdiv(debt - allowance, 1000), remaining(debt)}
      """);

  private final RedisAPI redis;
  private final String prefix;

  /**
   * @param redis the client
   * @param prefix prepended to every key, e.g. {@code "tf:"}
   */
  public RedisLimitStore(RedisAPI redis, String prefix) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public Future<LimitDecision> acquire(String key, long cost, long ratePerMinute, long burst) {
    try {
      Objects.requireNonNull(key, "key");
      Gcra.checkLimit(ratePerMinute, burst);
      if (cost < 0 || cost > Gcra.MAX_UNITS) {
        throw new IllegalArgumentException("cost must be 0.." + Gcra.MAX_UNITS + ": " + cost);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return GCRA.run(redis, List.of(redisKey(key)), args("acquire", cost, ratePerMinute, burst))
        .map(r -> new LimitDecision(r.get(0).toInteger() == 1, r.get(1).toLong(), r.get(2).toLong()));
  }

  @Override
  public Future<Void> adjust(String key, long deltaCost, long ratePerMinute, long burst) {
    try {
      Objects.requireNonNull(key, "key");
      Gcra.checkLimit(ratePerMinute, burst);
      if (deltaCost < -Gcra.MAX_UNITS || deltaCost > Gcra.MAX_UNITS) {
        throw new IllegalArgumentException("deltaCost must be -" + Gcra.MAX_UNITS + ".." + Gcra.MAX_UNITS + ": " + deltaCost);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return GCRA.run(redis, List.of(redisKey(key)), args("adjust", deltaCost, ratePerMinute, burst)).mapEmpty();
  }

  /** The Redis key that holds the limit {@code key}. */
  public String redisKey(String key) {
    return prefix + "limit:" + key;
  }

  private static List<String> args(String mode, long cost, long ratePerMinute, long burst) {
    return List.of(mode, Long.toString(cost), Long.toString(ratePerMinute), Long.toString(burst));
  }
}

package io.tensorforge.store.redis;

import io.tensorforge.domain.cost.Cost;
import io.tensorforge.store.BudgetDecision;
import io.tensorforge.store.BudgetSnapshot;
import io.tensorforge.store.BudgetStore;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Budgets shared by every node, in integer pico-USD, changed only by one atomic Lua script.
 *
 * <p>A tenant has two hashes, both named with the tenant in a hash tag so that they live in the
 * same Redis Cluster slot: {@code <prefix>budget:{<tenant>}} with the fields {@code spent},
 * {@code reserved} and {@code committed} (always {@code spent + reserved}), and
 * {@code <prefix>budget:{<tenant>}:res} mapping each open reservation id to its amount.
 *
 * <p>Lua numbers are doubles, exact only below 2^53 pico-USD (about 9,007 USD), too little for a
 * budget. So the script never does money arithmetic in Lua: sums are {@code HINCRBY} (exact
 * 64-bit integers inside Redis), amounts travel as decimal strings, and the one comparison
 * ({@code committed <= budget}) compares the decimal strings (by length, then digit by digit).
 */
public final class RedisBudgetStore implements BudgetStore {

  static final LuaScript BUDGET = new LuaScript("""
      -- KEYS[1]: hash spent/reserved/committed (pico-USD); KEYS[2]: hash reservation id -> amount.
      -- reserve: ARGV = 'reserve', id, amount, -amount, budget -> {1, committed} | {0, committed}
      -- settle:  ARGV = 'settle', id, actual -> 1 when settled now, 0 when the id is not held
      -- Amounts are decimal strings of integers >= 0; money is never a Lua number.
      local function le(a, b) -- a <= b for decimal strings of integers >= 0 without leading zeros
        if #a ~= #b then return #a < #b end
        return a <= b
      end
      if ARGV[1] == 'reserve' then
        redis.call('HINCRBY', KEYS[1], 'committed', ARGV[3])
        local committed = redis.call('HGET', KEYS[1], 'committed')
        if not le(committed, ARGV[5]) then
          redis.call('HINCRBY', KEYS[1], 'committed', ARGV[4])
          return {0, redis.call('HGET', KEYS[1], 'committed')}
        end
        redis.call('HINCRBY', KEYS[1], 'reserved', ARGV[3])
        redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
        return {1, committed}
      end
      local held = redis.call('HGET', KEYS[2], ARGV[2])
      if not held then return 0 end
      redis.call('HDEL', KEYS[2], ARGV[2])
      if held ~= '0' then
        redis.call('HINCRBY', KEYS[1], 'reserved', '-' .. held)
        redis.call('HINCRBY', KEYS[1], 'committed', '-' .. held)
      end
      redis.call('HINCRBY', KEYS[1], 'spent', ARGV[3])
      redis.call('HINCRBY', KEYS[1], 'committed', ARGV[3])
      return 1
      """);

  private final RedisAPI redis;
  private final String prefix;

  /**
   * @param redis the client
   * @param prefix prepended to every key, e.g. {@code "tf:"}
   */
  public RedisBudgetStore(RedisAPI redis, String prefix) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public Future<BudgetDecision> reserve(String tenant, BigDecimal amount, BigDecimal budget) {
    long want;
    long limit;
    try {
      Objects.requireNonNull(tenant, "tenant");
      want = BudgetStore.picoUsd("amount", amount);
      limit = BudgetStore.picoUsd("budget", budget);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String id = UUID.randomUUID().toString();
    List<String> args = List.of("reserve", id, Long.toString(want), Long.toString(-want), Long.toString(limit));
    return BUDGET.run(redis, keys(tenant), args).map(r -> {
      boolean reserved = r.get(0).toInteger() == 1;
      long committed = Long.parseLong(r.get(1).toString());
      // committed fits in a long (HINCRBY), limit >= 0: the difference cannot overflow
      return new BudgetDecision(reserved, reserved ? id : null, Cost.fromPicoUsd(limit - committed));
    });
  }

  @Override
  public Future<Void> settle(String tenant, String reservationId, BigDecimal actual) {
    long spend;
    try {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(reservationId, "reservationId");
      spend = BudgetStore.picoUsd("actual", actual);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return BUDGET.run(redis, keys(tenant), List.of("settle", reservationId, Long.toString(spend))).mapEmpty();
  }

  @Override
  public Future<BudgetSnapshot> snapshot(String tenant) {
    if (tenant == null) {
      return Future.failedFuture(new NullPointerException("tenant"));
    }
    return redis.hmget(List.of(accountKey(tenant), "spent", "reserved"))
        .map(r -> new BudgetSnapshot(pico(r.get(0)), pico(r.get(1))));
  }

  /** The hash that holds the tenant's sums. */
  public String accountKey(String tenant) {
    return prefix + "budget:{" + tenant + "}";
  }

  private List<String> keys(String tenant) {
    String account = accountKey(tenant);
    return List.of(account, account + ":res");
  }

  private static BigDecimal pico(Response field) {
    return Cost.fromPicoUsd(field == null ? 0 : Long.parseLong(field.toString()));
  }
}

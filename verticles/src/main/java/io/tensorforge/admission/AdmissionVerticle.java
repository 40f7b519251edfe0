package io.tensorforge.admission;

import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.Refusal;
import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.cost.Cost;
import io.tensorforge.domain.cost.ReportedUsage;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.security.StaticKeyAuthenticator;
import io.tensorforge.store.BudgetStore;
import io.tensorforge.store.FallbackLimitStore;
import io.tensorforge.store.LimitStore;
import io.tensorforge.store.LimitsUnavailableException;
import io.tensorforge.store.memory.MemoryBudgetStore;
import io.tensorforge.store.memory.MemoryLimitStore;
import io.tensorforge.store.memory.MemoryUsageLedger;
import io.tensorforge.store.redis.RedisBudgetStore;
import io.tensorforge.store.redis.RedisLimitStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits, token limits and budgets, before a request may queue. Per request: requests per
 * minute of its key and of its tenant, tokens per minute of both (charged from the estimate),
 * then the tenant's budget (the estimated cost reserved). A later refusal gives back what the
 * earlier steps took. On completion the estimate is corrected to the reported usage and the
 * usage recorded. With {@code stores.limitsKind: redis} the counters are shared by every node.
 * Deploy one instance per node: it owns the memory stores.
 */
public final class AdmissionVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionVerticle.class);

  private final PlatformSettings settings;
  private LimitStore limits;
  private BudgetStore budgets;
  private Redis redis;
  private final MemoryUsageLedger ledger = new MemoryUsageLedger();
  /** The configured keys by their non-secret id, computed once: a request never hashes keys. */
  private final Map<String, PlatformSettings.ApiKey> keysById = new HashMap<>();

  /** A refusal travelling down the admission chain. */
  private static final class Refused extends RuntimeException {
    final Refusal refusal;

    Refused(ErrorCode code, String message, long retryAfterMs) {
      super(message, null, false, false);
      this.refusal = new Refusal(code, message, retryAfterMs);
    }
  }

  /** One unit taken from one limit, to give back if a later step refuses. */
  private record Taken(String key, long cost, long rate) {}

  public AdmissionVerticle(PlatformSettings settings) {
    this.settings = settings;
    settings.security().apiKeys().forEach(k -> keysById.put(StaticKeyAuthenticator.keyIdOf(k.key()), k));
  }

  @Override
  public Future<?> start() {
    PlatformSettings.Stores stores = settings.stores();
    if (stores.usesRedis()) {
      redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(stores.redis().url())
          .setMaxPoolSize(16).setMaxPoolWaiting(10_000));
      RedisAPI api = RedisAPI.api(redis);
      FallbackLimitStore.Mode mode = FallbackLimitStore.Mode.parse(settings.limits().onRedisFailure());
      limits = new FallbackLimitStore(new RedisLimitStore(api, stores.redis().keyPrefix()), mode,
          settings.limits().redisTimeoutMs(), mode == FallbackLimitStore.Mode.LOCAL ? new MemoryLimitStore() : null);
      budgets = new RedisBudgetStore(api, stores.redis().keyPrefix());
    } else {
      limits = new MemoryLimitStore();
      budgets = new MemoryBudgetStore();
    }
    var bus = vertx.eventBus();
    return Future.all(
        bus.<AdmissionRequest>localConsumer(Addresses.ADMISSION_ADMIT, this::admit).completion(),
        bus.<Settlement>localConsumer(Addresses.ADMISSION_SETTLE, m -> settle(m.body())).completion(),
        bus.<JsonObject>consumer(Addresses.ADMISSION_USAGE, this::usage).completion());
  }

  @Override
  public Future<?> stop() {
    if (redis != null) {
      redis.close();
    }
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------- admission

  private void admit(Message<AdmissionRequest> message) {
    AdmissionRequest req = message.body();
    long keyRpm = keyLimit(req, true);
    long keyTpm = keyLimit(req, false);
    PlatformSettings.Tenant tenant = settings.tenant(req.tenant());
    long tokens = req.estimate().total();
    List<Taken> taken = new ArrayList<>();
    take(taken, "rpm:key:" + req.keyId(), 1, keyRpm, ErrorCode.RATE_LIMITED, "the key's requests per minute")
        .compose(v -> take(taken, "rpm:tenant:" + req.tenant(), 1, tenant.requestsPerMinute(), ErrorCode.RATE_LIMITED,
            "the tenant's requests per minute"))
        .compose(v -> take(taken, "tpm:key:" + req.keyId(), tokens, keyTpm, ErrorCode.TOKEN_RATE_LIMITED,
            "the key's tokens per minute"))
        .compose(v -> take(taken, "tpm:tenant:" + req.tenant(), tokens, tenant.tokensPerMinute(),
            ErrorCode.TOKEN_RATE_LIMITED, "the tenant's tokens per minute"))
        .compose(v -> reserve(req, tenant))
        .onSuccess(message::reply)
        .onFailure(err -> {
          giveBack(taken);
          message.reply(refusalOf(err));
        });
  }

  private long keyLimit(AdmissionRequest req, boolean requests) {
    PlatformSettings.ApiKey k = keysById.get(req.keyId());
    if (k == null || !k.tenant().equals(req.tenant())) {
      return 0;
    }
    return requests ? k.requestsPerMinute() : k.tokensPerMinute();
  }

  private Future<Void> take(List<Taken> taken, String key, long cost, long ratePerMinute, ErrorCode code, String what) {
    if (ratePerMinute <= 0) {
      return Future.succeededFuture();
    }
    long burst = settings.limits().burst(ratePerMinute);
    if (cost > burst) {
      return Future.failedFuture(new Refused(code, "the request's estimate of " + cost + " exceeds the burst of "
          + what + " (" + burst + ")", 60_000));
    }
    return limits.acquire(key, cost, ratePerMinute, burst).compose(d -> {
      if (!d.allowed()) {
        return Future.failedFuture(new Refused(code, "over " + what + " (" + ratePerMinute + ")", Math.max(1, d.retryAfterMs())));
      }
      taken.add(new Taken(key, cost, ratePerMinute));
      return Future.succeededFuture();
    });
  }

  private Future<AdmissionGrant> reserve(AdmissionRequest req, PlatformSettings.Tenant tenant) {
    BigDecimal estimated = Cost.of(settings.pricing().of(req.model()), req.estimate().input(), req.estimate().output());
    if (tenant.budgetUsd() == null) {
      return Future.succeededFuture(new AdmissionGrant(null, estimated));
    }
    return budgets.reserve(req.tenant(), estimated, tenant.budgetUsd())
        .timeout(settings.limits().redisTimeoutMs() * 4, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(new LimitsUnavailableException(1_000)))
        .compose(d -> d.allowed()
            ? Future.succeededFuture(new AdmissionGrant(d.reservationId(), estimated))
            : Future.failedFuture(new Refused(ErrorCode.BUDGET_EXHAUSTED, "the tenant's budget of $"
                + tenant.budgetUsd().toPlainString() + " has $" + d.available().toPlainString()
                + " left, and this request may cost up to $" + estimated.toPlainString(), 60_000)));
  }

  private void giveBack(List<Taken> taken) {
    for (Taken t : taken) {
      limits.adjust(t.key(), -t.cost(), t.rate(), settings.limits().burst(t.rate()))
          .onFailure(err -> LOG.debug("could not give back {} of {}: {}", t.cost(), t.key(), err.toString()));
    }
  }

  private static Refusal refusalOf(Throwable err) {
    if (err instanceof Refused r) {
      return r.refusal;
    }
    if (err instanceof LimitsUnavailableException u) {
      return new Refusal(ErrorCode.LIMITS_UNAVAILABLE, "rate limits cannot be checked now", u.retryAfterMs());
    }
    LOG.warn("admission failed: {}", err.toString());
    return new Refusal(ErrorCode.LIMITS_UNAVAILABLE, "rate limits cannot be checked now", 1_000);
  }

  // ---------------------------------------------------------------- settlement

  private void settle(Settlement s) {
    AdmissionRequest req = s.request();
    ReportedUsage charged = s.charged();
    long delta = charged.totalTokens() - req.estimate().total();
    PlatformSettings.Tenant tenant = settings.tenant(req.tenant());
    if (delta != 0) {
      adjust("tpm:key:" + req.keyId(), delta, keyLimit(req, false));
      adjust("tpm:tenant:" + req.tenant(), delta, tenant.tokensPerMinute());
    }
    BigDecimal cost = Cost.of(settings.pricing().of(req.model()), charged.inputTokens(), charged.outputTokens());
    if (s.grant().reservationId() != null) {
      budgets.settle(req.tenant(), s.grant().reservationId(), cost)
          .onFailure(err -> LOG.warn("budget of tenant {} not settled: {}", req.tenant(), err.toString()));
    }
    if (s.served()) {
      ledger.record(req.tenant(), req.model(), req.keyId(), charged.inputTokens(), charged.outputTokens(), cost);
    }
  }

  private void adjust(String key, long delta, long rate) {
    if (rate > 0) {
      limits.adjust(key, delta, rate, settings.limits().burst(rate))
          .onFailure(err -> LOG.debug("could not settle {}: {}", key, err.toString()));
    }
  }

  // ---------------------------------------------------------------- views

  private void usage(Message<JsonObject> m) {
    JsonObject view = UsageView.of(ledger.rows());
    JsonObject budgetsView = new JsonObject();
    List<Future<?>> snapshots = new ArrayList<>();
    settings.tenants().values().stream().filter(t -> t.budgetUsd() != null).forEach(t ->
        snapshots.add(budgets.snapshot(t.name()).onSuccess(b -> budgetsView.put(t.name(), new JsonObject()
            .put("budgetUsd", t.budgetUsd().toPlainString())
            .put("spentUsd", b.spent().toPlainString())
            .put("reservedUsd", b.reserved().toPlainString())))));
    Future.join(snapshots).onComplete(ar -> m.reply(view.put("budgets", budgetsView)));
  }
}

package io.tensorforge.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.tensorforge.bus.Addresses;
import io.tensorforge.bus.MonotonicClock;
import io.tensorforge.bus.Refusal;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.Admission;
import io.tensorforge.domain.intake.Dispatch;
import io.tensorforge.domain.intake.Scheduler;
import io.tensorforge.domain.intake.SchedulerSettings;
import io.tensorforge.domain.intake.Ticket;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.RoutingStrategies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of admission, endpoint capacity and routing decisions on this node. It turns
 * bus messages into calls on the domain {@link Scheduler} and the scheduler's answers into
 * replies. Deploy exactly one instance per node.
 */
public final class IntakeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeVerticle.class);

  private final SchedulerSettings settings;
  private final Function<String, String> strategyNameForModel;
  private final MeterRegistry registry;
  private final long seed;

  private Scheduler scheduler;
  private IntakeMetrics metrics;
  /** ticket id → the caller waiting for a slot. */
  private final Map<Long, Waiting> waiting = new HashMap<>();
  private final Map<String, Long> ticketByRequest = new HashMap<>();
  private long nextTicketId = 1;

  private record Waiting(Message<AdmitRequest> message, String requestId, long timerId) {}

  public IntakeVerticle(SchedulerSettings settings, Function<String, String> strategyNameForModel,
                        MeterRegistry registry, long seed) {
    this.settings = settings;
    this.strategyNameForModel = strategyNameForModel;
    this.registry = registry;
    this.seed = seed;
  }

  @Override
  public Future<?> start() {
    scheduler = new Scheduler(settings, model -> RoutingStrategies.create(strategyNameForModel.apply(model)),
        new SplittableRandom(seed));
    metrics = new IntakeMetrics(registry, scheduler);
    var bus = vertx.eventBus();
    return Future.all(
            bus.<AdmitRequest>localConsumer(Addresses.INTAKE_ADMIT, this::admit).completion(),
            bus.<LeaseRelease>localConsumer(Addresses.INTAKE_RELEASE, m -> release(m.body())).completion(),
            bus.<String>localConsumer(Addresses.INTAKE_CANCEL, m -> cancel(m.body())).completion(),
            bus.<JsonObject>localConsumer(Addresses.INTAKE_SNAPSHOT, m -> m.reply(snapshot())).completion(),
            bus.<JsonObject>consumer(Addresses.ROUTING_ENDPOINT_CHANGED, m -> endpointChanged(m.body())).completion())
        .compose(v -> bus.<JsonObject>request(Addresses.ROUTING_LIST, new JsonObject()))
        .map(reply -> {
          loadTable(reply.body().getJsonArray("endpoints", new JsonArray()));
          return null;
        });
  }

  // ---------------------------------------------------------------- requests

  private void admit(Message<AdmitRequest> message) {
    AdmitRequest req = message.body();
    long now = MonotonicClock.nowMs();
    Ticket ticket = new Ticket(nextTicketId++, req.model(), req.tenant(),
        req.priority(), req.arrivedAtMs(), req.deadlineAtMs(), req.costTokens());
    Admission admission = scheduler.admit(ticket, now);
    if (admission instanceof Admission.Started started) {
      message.reply(started.lease());
    } else if (admission instanceof Admission.Refused refused) {
      message.reply(new Refusal(refused.code(), refused.message(), refused.retryAfterMs()));
    } else {
      refuse(((Admission.Queued) admission).shed(), ErrorCode.SHED,
          "dropped from the queue to make room for a request of a higher priority class");
      long timerId = vertx.setTimer(Math.max(1, ticket.deadlineAtMs() - now), t -> expire(ticket));
      waiting.put(ticket.id(), new Waiting(message, req.requestId(), timerId));
      ticketByRequest.put(req.requestId(), ticket.id());
    }
  }

  private void release(LeaseRelease release) {
    long now = MonotonicClock.nowMs();
    dispatch(switch (release.outcome()) {
      case SERVED -> scheduler.release(release.leaseId(), release.latencyMs(), true, release.servedTokens(), now);
      case FAILED -> scheduler.release(release.leaseId(), release.latencyMs(), false, release.servedTokens(), now);
      case ABANDONED -> scheduler.abandon(release.leaseId(), now);
    });
  }

  private void expire(Ticket ticket) {
    scheduler.expire(ticket.id(), ticket.model()).ifPresent(t -> {
      Waiting w = forget(t.id());
      if (w != null) {
        w.message().reply(new Refusal(ErrorCode.QUEUE_TIMEOUT,
            "no endpoint slot became free before the deadline",
            scheduler.retryAfterMs(t.model(), MonotonicClock.nowMs())));
      }
    });
  }

  /** The caller went away while it waited: its ticket leaves the queue. */
  private void cancel(String requestId) {
    Long ticketId = ticketByRequest.get(requestId);
    if (ticketId == null) {
      return;
    }
    Waiting w = waiting.get(ticketId);
    if (w != null && scheduler.expire(ticketId, w.message().body().model()).isPresent()) {
      forget(ticketId);
      vertx.cancelTimer(w.timerId());
      w.message().reply(new Refusal(ErrorCode.QUEUE_TIMEOUT, "the caller went away", 0));
    }
  }

  private void dispatch(List<Dispatch> dispatches) {
    for (Dispatch d : dispatches) {
      Waiting w = forget(d.ticket().id());
      if (w == null) {
        // nobody waits for this ticket any more: give the slot straight back
        dispatch(scheduler.abandon(d.lease().id(), MonotonicClock.nowMs()));
        continue;
      }
      vertx.cancelTimer(w.timerId());
      w.message().reply(d.lease());
    }
  }

  private void refuse(List<Ticket> tickets, ErrorCode code, String why) {
    for (Ticket t : tickets) {
      Waiting w = forget(t.id());
      if (w != null) {
        vertx.cancelTimer(w.timerId());
        w.message().reply(new Refusal(code, why, code == ErrorCode.SHED
            ? scheduler.retryAfterMs(t.model(), MonotonicClock.nowMs()) : 1000));
      }
    }
  }

  private Waiting forget(long ticketId) {
    Waiting w = waiting.remove(ticketId);
    if (w != null) {
      ticketByRequest.remove(w.requestId());
    }
    return w;
  }

  // ---------------------------------------------------------------- endpoint table

  private void loadTable(JsonArray endpoints) {
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      JsonObject e = endpoints.getJsonObject(i);
      listed.add(e.getString("id"));
      upsert(e);
    }
    for (String id : scheduler.endpoints().stream().map(EndpointState::id).toList()) {
      if (!listed.contains(id)) {
        remove(id);
      }
    }
  }

  private void endpointChanged(JsonObject change) {
    JsonObject endpoint = change.getJsonObject("endpoint");
    if ("removed".equals(change.getString("change"))) {
      remove(endpoint.getString("id"));
    } else {
      upsert(endpoint);
    }
  }

  private void upsert(JsonObject json) {
    EndpointSpec spec = EndpointJson.spec(json);
    dispatch(scheduler.upsertEndpoint(spec, EndpointJson.up(json), MonotonicClock.nowMs()));
    scheduler.endpoint(spec.id()).ifPresent(metrics::endpointAdded);
    LOG.debug("endpoint {} ({}) serves {}", spec.id(), EndpointJson.up(json) ? "up" : "down", spec.models());
  }

  private void remove(String id) {
    refuse(scheduler.removeEndpoint(id), ErrorCode.NO_HEALTHY_ENDPOINT, "the model's last endpoint was removed");
    metrics.endpointRemoved(id);
  }

  // ---------------------------------------------------------------- views

  private JsonObject snapshot() {
    long now = MonotonicClock.nowMs();
    JsonArray endpoints = new JsonArray();
    scheduler.endpoints().forEach(e -> endpoints.add(EndpointJson.of(e.spec(), e.up())
        .put("inFlight", e.inFlight())
        .put("latencyMs", Math.round(e.latency().averageMs(now) * 10) / 10.0)
        .put("served", e.served())
        .put("failed", e.failed())));
    JsonObject models = new JsonObject();
    for (String model : scheduler.models()) {
      models.put(model, new JsonObject()
          .put("strategy", strategyNameForModel.apply(model))
          .put("queueDepth", scheduler.queueDepth(model))
          .put("queueDepthByPriority", new JsonObject()
              .put("critical", scheduler.queueDepth(model, Priority.CRITICAL))
              .put("standard", scheduler.queueDepth(model, Priority.STANDARD))
              .put("sheddable", scheduler.queueDepth(model, Priority.SHEDDABLE))));
    }
    return new JsonObject()
        .put("queueDepth", scheduler.queueDepth())
        .put("leasesHeld", scheduler.leasesHeld())
        .put("models", models)
        .put("endpoints", endpoints);
  }
}

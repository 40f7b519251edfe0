package io.tensorforge.bus;

/**
 * Every event-bus address of the platform, named {@code tf.<service>.<verb>}.
 *
 * <p>Request-reply addresses answer with a reply or a {@link io.vertx.core.eventbus.ReplyException}
 * whose failure code is an {@link io.tensorforge.domain.error.ErrorCode#number()}. Publish
 * addresses are fire-and-forget and carry JSON so that they can cross a cluster.
 */
public final class Addresses {

  private Addresses() {}

  // admission: rate limits, token limits and budgets (local, hot path)
  /** request-reply, local: {@code AdmissionRequest} → {@code AdmissionGrant} or {@code Refusal}. */
  public static final String ADMISSION_ADMIT = "tf.admission.admit";
  /** send, local: {@code Settlement}; corrects limits and budget from the estimate to the real usage. */
  public static final String ADMISSION_SETTLE = "tf.admission.settle";
  /** request-reply: JSON usage and spend per tenant, model and key, and budgets. */
  public static final String ADMISSION_USAGE = "tf.admission.usage";

  // intake: admission, the queue, endpoint capacity, routing decisions (local, hot path)
  /** request-reply, local: {@code AdmitRequest} → {@code Lease}. */
  public static final String INTAKE_ADMIT = "tf.intake.admit";
  /** send, local: {@code LeaseRelease}; frees the slot a lease holds. */
  public static final String INTAKE_RELEASE = "tf.intake.release";
  /** send, local: the request id of a caller that went away while it waited. */
  public static final String INTAKE_CANCEL = "tf.intake.cancel";
  /** request-reply: JSON view of the scheduler state (endpoints with load, queue depth). */
  public static final String INTAKE_SNAPSHOT = "tf.intake.snapshot";

  // routing: the endpoint table (source of truth for registration and up/down)
  /** request-reply: register an endpoint, JSON {@code {id,url,models,maxConcurrent}}. */
  public static final String ROUTING_REGISTER = "tf.routing.register";
  /** request-reply: JSON {@code {id}}. */
  public static final String ROUTING_DEREGISTER = "tf.routing.deregister";
  /** request-reply: JSON {@code {id, up}}. */
  public static final String ROUTING_SET_STATE = "tf.routing.set-state";
  /** request-reply: the whole table as JSON {@code {endpoints:[...]}}. */
  public static final String ROUTING_LIST = "tf.routing.list";
  /** publish, cluster-wide JSON: {@code {change: upserted|removed, endpoint:{...}}}. */
  public static final String ROUTING_ENDPOINT_CHANGED = "tf.routing.endpoint-changed";

  // stores: connections to PostgreSQL and Redis when the profile uses them
  /** request-reply: JSON {@code {status: up|down, checks: {postgres: ..., redis: ...}}}. */
  public static final String STORES_HEALTH = "tf.stores.health";
}

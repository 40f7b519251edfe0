package io.tensorforge.security;

import io.tensorforge.domain.intake.queue.Priority;

/**
 * Who is calling: the tenant a key belongs to, a non-secret id of the key, whether it may
 * administer, the priority class of its requests when they name none, and whether any rate
 * limit or budget applies to it (if none does, admission has nothing to check).
 */
public record Caller(String tenant, String keyId, boolean admin, Priority defaultPriority, boolean limited) {

  /** Where the gateway keeps the caller on a request's routing context. */
  public static final String CONTEXT_KEY = "tf.caller";
}

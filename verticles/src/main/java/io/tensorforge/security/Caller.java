package io.tensorforge.security;

/**
 * Who is calling: the tenant a key belongs to, a non-secret id of the key, whether it may
 * administer, and the priority class of its requests when they name none.
 */
public record Caller(String tenant, String keyId, boolean admin, String defaultPriority) {

  /** Where the gateway keeps the caller on a request's routing context. */
  public static final String CONTEXT_KEY = "tf.caller";
}

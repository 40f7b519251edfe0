package io.tensorforge.security;

/** Who is calling: the tenant a key belongs to, a non-secret id of the key, and whether it may administer. */
public record Caller(String tenant, String keyId, boolean admin) {

  /** Where the gateway keeps the caller on a request's routing context. */
  public static final String CONTEXT_KEY = "tf.caller";
}

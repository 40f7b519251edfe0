package io.tensorforge.store;

import io.tensorforge.security.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Port: tenants and API keys, looked up by the SHA-256 digest of a presented key. Today the
 * static key list of the configuration answers; PostgreSQL answers in the identity issue.
 */
public interface IdentityStore {

  Future<Optional<Caller>> findByKeyDigest(String sha256Hex);
}

package io.tensorforge.security;

import io.tensorforge.config.PlatformSettings;
import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.queue.Priority;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Authenticates a bearer API key against the static key list of the configuration. Keys are
 * held and looked up by their SHA-256 digest, so a lookup takes no secret-dependent time and a
 * key never sits in memory as a map key. The key store in PostgreSQL replaces this later.
 */
public final class StaticKeyAuthenticator {

  private final Map<String, Caller> callersByDigest = new HashMap<>();

  /** The outcome: a caller, or the error code that refuses the request. */
  public record Result(Caller caller, ErrorCode error, String message) {
    static Result ok(Caller caller) {
      return new Result(caller, null, null);
    }

    static Result refused(ErrorCode error, String message) {
      return new Result(null, error, message);
    }

    public boolean ok() {
      return caller != null;
    }
  }

  public StaticKeyAuthenticator(PlatformSettings settings) {
    for (PlatformSettings.ApiKey k : settings.security().apiKeys()) {
      String digest = digest(k.key());
      PlatformSettings.Tenant t = settings.tenant(k.tenant());
      boolean limited = k.requestsPerMinute() > 0 || k.tokensPerMinute() > 0
          || t.requestsPerMinute() > 0 || t.tokensPerMinute() > 0 || t.budgetUsd() != null;
      callersByDigest.put(digest, new Caller(k.tenant(), keyIdOf(k.key()), false, k.priority(), limited));
    }
    for (String admin : settings.security().adminKeys()) {
      String digest = digest(admin);
      callersByDigest.put(digest, new Caller("admin", digest.substring(0, 12), true, Priority.STANDARD, false));
    }
  }

  /** @param authorization the raw {@code Authorization} header, possibly null */
  public Result authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "an API key is required: send 'Authorization: Bearer <key>'");
    }
    String value = authorization.trim();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <key>'");
    }
    String key = value.substring(7).trim();
    if (key.isEmpty()) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "the API key is empty");
    }
    Caller caller = callersByDigest.get(digest(key));
    return caller == null
        ? Result.refused(ErrorCode.INVALID_API_KEY, "the API key is not valid")
        : Result.ok(caller);
  }

  /** The non-secret id of a key: the first 12 hex digits of its SHA-256 digest. */
  public static String keyIdOf(String key) {
    return digest(key).substring(0, 12);
  }

  static String digest(String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

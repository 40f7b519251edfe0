package io.tensorforge.domain.error;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every way a request can be refused, with its stable wire code, its numeric code on the event
 * bus and its HTTP status. The numbers are written out and never derived from the order.
 */
public enum ErrorCode {
  BAD_REQUEST(1000, "bad_request", 400),
  INVALID_JSON(1001, "invalid_json", 400),
  MISSING_MODEL(1002, "missing_model", 400),
  INVALID_HEADER(1003, "invalid_header", 400),
  UNAUTHENTICATED(1100, "unauthenticated", 401),
  INVALID_API_KEY(1101, "invalid_api_key", 401),
  FORBIDDEN(1200, "forbidden", 403),
  NOT_FOUND(1300, "not_found", 404),
  MODEL_NOT_FOUND(1301, "model_not_found", 404),
  ENDPOINT_NOT_FOUND(1302, "endpoint_not_found", 404),
  METHOD_NOT_ALLOWED(1400, "method_not_allowed", 405),
  CONFLICT(1500, "conflict", 409),
  ENDPOINT_EXISTS(1501, "endpoint_exists", 409),
  PAYLOAD_TOO_LARGE(1600, "payload_too_large", 413),
  UNSUPPORTED_MEDIA_TYPE(1650, "unsupported_media_type", 415),
  RATE_LIMITED(1700, "rate_limited", 429),
  TOKEN_RATE_LIMITED(1701, "token_rate_limited", 429),
  BUDGET_EXHAUSTED(1702, "budget_exhausted", 429),
  TENANT_QUEUE_FULL(1703, "tenant_queue_full", 429),
  UPSTREAM_ERROR(1800, "upstream_error", 502),
  UPSTREAM_UNAVAILABLE(1801, "upstream_unavailable", 502),
  UPSTREAM_REJECTED(1802, "upstream_rejected", 400),
  UPSTREAM_BUSY(1803, "upstream_busy", 503),
  QUEUE_FULL(1900, "queue_full", 503),
  QUEUE_TIMEOUT(1901, "queue_timeout", 504),
  NO_HEALTHY_ENDPOINT(1902, "no_healthy_endpoint", 503),
  NOT_READY(1903, "not_ready", 503),
  SHED(1904, "shed", 503),
  DEADLINE_UNREACHABLE(1905, "deadline_unreachable", 503),
  LIMITS_UNAVAILABLE(1906, "limits_unavailable", 503),
  UPSTREAM_TIMEOUT(2000, "upstream_timeout", 504),
  INTERNAL(2100, "internal_error", 500);

  private static final Map<Integer, ErrorCode> BY_NUMBER =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::number, Function.identity()));

  private final int number;
  private final String code;
  private final int httpStatus;

  ErrorCode(int number, String code, int httpStatus) {
    this.number = number;
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The numeric code carried by a failed event-bus reply. */
  public int number() {
    return number;
  }

  /** The stable code a caller sees in {@code error.code}. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Whether a caller should be told when to come back ({@code Retry-After}). */
  public boolean retryable() {
    return httpStatus == 429 || httpStatus == 503 || this == QUEUE_TIMEOUT;
  }

  /** The code for a bus failure number; unknown numbers are internal errors. */
  public static ErrorCode ofNumber(int number) {
    return BY_NUMBER.getOrDefault(number, INTERNAL);
  }
}

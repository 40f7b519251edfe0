package io.tensorforge.bus;

import io.tensorforge.domain.error.ErrorCode;

/**
 * The answer when a request is refused (no slot, a limit, a budget): the reason, and when coming back may help
 * ({@code retryAfterMs}, zero when it would not). Sent as a reply, not a bus failure, so that
 * the retry hint reaches the gateway intact.
 */
public record Refusal(ErrorCode code, String message, long retryAfterMs) {}

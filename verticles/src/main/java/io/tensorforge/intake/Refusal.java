package io.tensorforge.intake;

import io.tensorforge.domain.error.ErrorCode;

/**
 * Intake's answer when a request gets no slot: the reason, and when coming back may help
 * ({@code retryAfterMs}, zero when it would not). Sent as a reply, not a bus failure, so that
 * the retry hint reaches the gateway intact.
 */
public record Refusal(ErrorCode code, String message, long retryAfterMs) {}

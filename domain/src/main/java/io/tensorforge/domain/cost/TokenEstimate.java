package io.tensorforge.domain.cost;

/**
 * Tokens a request is expected to use, charged at admission and corrected from the response's
 * real usage afterwards.
 *
 * @param input estimated prompt tokens: about four characters a token, rounded up, at least 1
 * @param output the output tokens the request may produce: its {@code max_tokens}, or the default
 */
public record TokenEstimate(long input, long output) {

  public TokenEstimate {
    if (input < 0 || output < 0) {
      throw new IllegalArgumentException("estimates must be >= 0: " + input + ", " + output);
    }
  }

  /**
   * Estimates a request.
   *
   * @param promptChars characters of the prompt (>= 0)
   * @param maxTokens the request's {@code max_tokens}; 0 or less when it gave none
   * @param defaultMaxTokens the output estimate for a request without {@code max_tokens} (>= 0)
   */
  public static TokenEstimate estimate(long promptChars, long maxTokens, long defaultMaxTokens) {
    if (promptChars < 0) {
      throw new IllegalArgumentException("promptChars must be >= 0: " + promptChars);
    }
    if (defaultMaxTokens < 0) {
      throw new IllegalArgumentException("defaultMaxTokens must be >= 0: " + defaultMaxTokens);
    }
    long input = Math.max(1, promptChars / 4 + (promptChars % 4 == 0 ? 0 : 1));
    long output = maxTokens > 0 ? maxTokens : defaultMaxTokens;
    return new TokenEstimate(input, output);
  }

  /** Input plus output. */
  public long total() {
    return Math.addExact(input, output);
  }
}

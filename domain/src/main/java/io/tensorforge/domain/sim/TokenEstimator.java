package io.tensorforge.domain.sim;

/** A rough token count for text: about four characters per token, never less than one. */
public final class TokenEstimator {

  private TokenEstimator() {}

  /** {@code ceil(chars / 4)}, at least 1. */
  public static int estimate(long chars) {
    if (chars < 0) {
      throw new IllegalArgumentException("chars must be >= 0, got " + chars);
    }
    long tokens = (chars + 3) / 4;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens));
  }

  /** The estimate for one text ({@code null} counts as empty). */
  public static int estimate(CharSequence text) {
    return estimate(text == null ? 0 : text.length());
  }
}

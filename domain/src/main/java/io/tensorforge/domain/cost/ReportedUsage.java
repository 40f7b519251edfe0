package io.tensorforge.domain.cost;

/** The token counts a model endpoint reported for one answer (its {@code usage} block). */
public record ReportedUsage(long inputTokens, long outputTokens) {

  public ReportedUsage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}

package io.tensorforge.domain.cost;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the usage block in the tail of an answer, as OpenAI-compatible servers send it: the
 * {@code usage} object of a completion, or of the last chunk of a stream. Only the last block
 * counts. KServe answers carry none; the estimate stands for them.
 */
public final class UsageParser {

  private static final Pattern USAGE = Pattern.compile("\"usage\"\\s*:\\s*\\{([^{}]*)}");
  private static final Pattern PROMPT = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d{1,15})");
  private static final Pattern COMPLETION = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d{1,15})");

  private UsageParser() {}

  public static Optional<ReportedUsage> lastUsage(CharSequence tail) {
    Matcher m = USAGE.matcher(tail);
    String block = null;
    while (m.find()) {
      block = m.group(1);
    }
    if (block == null) {
      return Optional.empty();
    }
    Matcher prompt = PROMPT.matcher(block);
    if (!prompt.find()) {
      return Optional.empty();
    }
    Matcher completion = COMPLETION.matcher(block);
    long output = completion.find() ? Long.parseLong(completion.group(1)) : 0;
    return Optional.of(new ReportedUsage(Long.parseLong(prompt.group(1)), output));
  }
}

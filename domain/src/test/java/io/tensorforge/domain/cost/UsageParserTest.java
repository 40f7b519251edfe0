package io.tensorforge.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageParserTest {

  @Test
  void readsTheUsageOfACompletion() {
    String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}";
    assertEquals(Optional.of(new ReportedUsage(12, 34)), UsageParser.lastUsage(body));
  }

  @Test
  void readsTheLastUsageBlockOfAStream() {
    String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
        + "data: {\"choices\":[],\"usage\": {\"prompt_tokens\": 7, \"completion_tokens\": 200}}\n\ndata: [DONE]\n\n";
    assertEquals(Optional.of(new ReportedUsage(7, 200)), UsageParser.lastUsage(stream));
  }

  @Test
  void embeddingsReportOnlyPromptTokens() {
    assertEquals(Optional.of(new ReportedUsage(5, 0)),
        UsageParser.lastUsage("{\"data\":[],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"));
  }

  @Test
  void noUsageIsEmpty() {
    assertTrue(UsageParser.lastUsage("{\"outputs\":[{\"data\":[1,2]}]}").isEmpty());
    assertTrue(UsageParser.lastUsage("").isEmpty());
  }
}

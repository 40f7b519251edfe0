package io.tensorforge.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The size of a request for the token estimate: the characters of its prompt (chat messages,
 * completion prompt, or embedding input) and the output it asks for at most.
 */
final class PromptSize {

  private PromptSize() {}

  /** Characters of text the request sends to the model. */
  static long chars(JsonObject body) {
    long n = 0;
    Object messages = body.getValue("messages");
    if (messages instanceof JsonArray list) {
      for (Object m : list) {
        if (m instanceof JsonObject message) {
          n += text(message.getValue("content"));
        }
      }
    }
    n += text(body.getValue("prompt"));
    n += text(body.getValue("input"));
    return n;
  }

  /** The request's own limit on output tokens, or 0 when it gives none. */
  static long maxTokens(JsonObject body) {
    for (String key : new String[] {"max_tokens", "max_completion_tokens"}) {
      Object v = body.getValue(key);
      if (v instanceof Number num && num.longValue() > 0) {
        return num.longValue();
      }
    }
    return 0;
  }

  private static long text(Object value) {
    if (value instanceof String s) {
      return s.length();
    }
    if (value instanceof JsonArray parts) {
      long n = 0;
      for (Object part : parts) {
        if (part instanceof String s) {
          n += s.length();
        } else if (part instanceof JsonObject obj) {
          n += text(obj.getValue("text"));
        } else if (part instanceof Number) {
          n += 1; // a token id
        } else if (part instanceof JsonArray ids) {
          n += ids.size() * 4L; // token ids count as a token each
        }
      }
      return n;
    }
    return 0;
  }
}

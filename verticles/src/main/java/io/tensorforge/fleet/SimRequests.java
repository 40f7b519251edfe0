package io.tensorforge.fleet;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.sim.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads the bodies a simulated endpoint accepts; a bad body is a {@link BadRequest}. */
final class SimRequests {

  private SimRequests() {}

  /** A request the endpoint refuses with a 4xx: its code and a message for the caller. */
  static final class BadRequest extends RuntimeException {
    final ErrorCode code;

    BadRequest(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** A chat or text completion: what to generate. */
  record Generation(String model, int promptTokens, int outputTokens, boolean stream) {}

  /** An embeddings request: one text per vector. */
  record Embeddings(String model, List<String> inputs, int promptTokens) {}

  static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new BadRequest(ErrorCode.INVALID_JSON, "the request body must be a JSON object");
    }
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      throw new BadRequest(ErrorCode.INVALID_JSON, "the request body must be a valid JSON object");
    }
  }

  static Generation chat(JsonObject body, int defaultMaxTokens) {
    String model = model(body);
    Object messages = body.getValue("messages");
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw new BadRequest(ErrorCode.BAD_REQUEST, "'messages' must be a non-empty list");
    }
    long chars = 0;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject message)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'messages[" + i + "]' must be an object");
      }
      chars += contentChars(message.getValue("content"), i);
    }
    return new Generation(model, TokenEstimator.estimate(chars), maxTokens(body, defaultMaxTokens), stream(body));
  }

  static Generation completion(JsonObject body, int defaultMaxTokens) {
    String model = model(body);
    Object prompt = body.getValue("prompt");
    int promptTokens;
    if (prompt instanceof String s) {
      promptTokens = TokenEstimator.estimate(s);
    } else if (prompt instanceof JsonArray arr && !arr.isEmpty()) {
      promptTokens = texts(arr, "prompt").stream().mapToInt(TokenEstimator::estimate).sum();
    } else {
      throw new BadRequest(ErrorCode.BAD_REQUEST, "'prompt' must be a string or a non-empty list");
    }
    return new Generation(model, promptTokens, maxTokens(body, defaultMaxTokens), stream(body));
  }

  static Embeddings embeddings(JsonObject body) {
    String model = model(body);
    Object input = body.getValue("input");
    List<String> inputs;
    if (input instanceof String s) {
      inputs = List.of(s);
    } else if (input instanceof JsonArray arr && !arr.isEmpty()) {
      inputs = arr.getValue(0) instanceof Number ? List.of(arr.encode()) : texts(arr, "input");
    } else {
      throw new BadRequest(ErrorCode.BAD_REQUEST, "'input' must be a string or a non-empty list");
    }
    int tokens = inputs.stream().mapToInt(TokenEstimator::estimate).sum();
    return new Embeddings(model, inputs, tokens);
  }

  /** The KServe V2 inputs, checked: each has a name, a shape, a datatype and data. */
  static JsonArray inferInputs(JsonObject body) {
    Object inputs = body.getValue("inputs");
    if (!(inputs instanceof JsonArray arr) || arr.isEmpty()) {
      throw new BadRequest(ErrorCode.BAD_REQUEST, "'inputs' must be a non-empty list");
    }
    for (int i = 0; i < arr.size(); i++) {
      String at = "inputs[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject in)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + at + "' must be an object");
      }
      if (!(in.getValue("name") instanceof String)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + at + ".name' must be a string");
      }
      if (!(in.getValue("shape") instanceof JsonArray shape) || !shape.stream().allMatch(d -> d instanceof Number)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + at + ".shape' must be a list of numbers");
      }
      if (!(in.getValue("datatype") instanceof String)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + at + ".datatype' must be a string");
      }
      if (!(in.getValue("data") instanceof JsonArray)) {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + at + ".data' must be a list");
      }
    }
    return arr;
  }

  private static String model(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String s) || s.isBlank()) {
      throw new BadRequest(ErrorCode.MISSING_MODEL, "'model' is required");
    }
    return s;
  }

  private static int maxTokens(JsonObject body, int fallback) {
    Object v = body.getValue("max_tokens");
    if (v == null) {
      v = body.getValue("max_completion_tokens");
    }
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < 1 || n.longValue() > SimEndpointSettings.MAX_TOKENS) {
      throw new BadRequest(ErrorCode.BAD_REQUEST,
          "'max_tokens' must be a whole number from 1 to " + SimEndpointSettings.MAX_TOKENS);
    }
    return n.intValue();
  }

  private static boolean stream(JsonObject body) {
    Object v = body.getValue("stream");
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new BadRequest(ErrorCode.BAD_REQUEST, "'stream' must be true or false");
    }
    return b;
  }

  private static long contentChars(Object content, int index) {
    if (content == null) {
      return 0;
    }
    if (content instanceof String s) {
      return s.length();
    }
    if (content instanceof JsonArray parts) {
      long chars = 0;
      for (Object part : parts) {
        if (part instanceof JsonObject p && p.getValue("text") instanceof String text) {
          chars += text.length();
        }
      }
      return chars;
    }
    throw new BadRequest(ErrorCode.BAD_REQUEST, "'messages[" + index + "].content' must be a string or a list of parts");
  }

  private static List<String> texts(JsonArray arr, String key) {
    List<String> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      Object item = arr.getValue(i);
      if (item instanceof String s) {
        out.add(s);
      } else if (item instanceof JsonArray tokens) {
        out.add(tokens.encode());
      } else {
        throw new BadRequest(ErrorCode.BAD_REQUEST, "'" + key + "[" + i + "]' must be a string");
      }
    }
    return out;
  }
}

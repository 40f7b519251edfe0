package io.tensorforge.fleet;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.sim.SimText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The response bodies of an OpenAI-compatible server, and the KServe V2 output. */
final class OpenAiBodies {

  private OpenAiBodies() {}

  static JsonObject error(ErrorCode code, String message) {
    String type = switch (code.httpStatus()) {
      case 404 -> "not_found_error";
      case 500 -> "server_error";
      case 503 -> "service_unavailable_error";
      default -> "invalid_request_error";
    };
    return new JsonObject().put("error", new JsonObject()
        .put("message", message)
        .put("type", type)
        .put("code", code.code()));
  }

  static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  static JsonObject chatCompletion(String id, long created, String model, String text, int promptTokens, int outputTokens) {
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", text))
        .put("finish_reason", "length");
    return envelope(id, "chat.completion", created, model)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(promptTokens, outputTokens));
  }

  static JsonObject textCompletion(String id, long created, String model, String text, int promptTokens, int outputTokens) {
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("text", text)
        .putNull("logprobs")
        .put("finish_reason", "length");
    return envelope(id, "text_completion", created, model)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(promptTokens, outputTokens));
  }

  /** One streamed token; {@code chat} picks the chat chunk shape, else the text completion one. */
  static JsonObject tokenChunk(boolean chat, String id, long created, String model, String piece, boolean first, boolean last) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (chat) {
      JsonObject delta = new JsonObject();
      if (first) {
        delta.put("role", "assistant");
      }
      choice.put("delta", delta.put("content", piece));
    } else {
      choice.put("text", piece).putNull("logprobs");
    }
    choice.put("finish_reason", last ? "length" : null);
    return envelope(id, chat ? "chat.completion.chunk" : "text_completion", created, model)
        .put("choices", new JsonArray().add(choice));
  }

  /** The last streamed chunk: no choices, the usage. */
  static JsonObject usageChunk(boolean chat, String id, long created, String model, int promptTokens, int outputTokens) {
    return envelope(id, chat ? "chat.completion.chunk" : "text_completion", created, model)
        .put("choices", new JsonArray())
        .put("usage", usage(promptTokens, outputTokens));
  }

  static String sse(JsonObject chunk) {
    return "data: " + chunk.encode() + "\n\n";
  }

  static final String SSE_DONE = "data: [DONE]\n\n";

  static JsonObject embeddings(String model, List<String> inputs, int promptTokens, int dims) {
    JsonArray data = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      JsonArray vector = new JsonArray();
      for (float f : SimText.embedding(inputs.get(i), dims)) {
        vector.add((double) f);
      }
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", vector));
    }
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", model)
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("total_tokens", promptTokens));
  }

  static JsonObject models(List<String> models, long created) {
    JsonArray data = new JsonArray();
    for (String m : models) {
      data.add(new JsonObject().put("id", m).put("object", "model").put("created", created).put("owned_by", "tensorforge-sim"));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** KServe V2: one output per input, same shape and datatype, numbers doubled (others echoed). */
  static JsonObject inferResponse(String model, String id, JsonArray inputs) {
    JsonArray outputs = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      JsonObject in = inputs.getJsonObject(i);
      outputs.add(new JsonObject()
          .put("name", "output" + i)
          .put("shape", in.getJsonArray("shape").copy())
          .put("datatype", in.getString("datatype"))
          .put("data", doubled(in.getJsonArray("data"))));
    }
    return new JsonObject().put("model_name", model).put("id", id).put("outputs", outputs);
  }

  private static JsonArray doubled(JsonArray data) {
    JsonArray out = new JsonArray();
    for (Object v : data) {
      if (v instanceof JsonArray nested) {
        out.add(doubled(nested));
      } else if (v instanceof Integer || v instanceof Long) {
        out.add(((Number) v).longValue() * 2);
      } else if (v instanceof Number n) {
        out.add(n.doubleValue() * 2);
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static JsonObject envelope(String id, String object, long created, String model) {
    return new JsonObject().put("id", id).put("object", object).put("created", created).put("model", model);
  }
}

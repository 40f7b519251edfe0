package io.tensorforge.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Port: the ordered, deduplicated log of every decision (admission, routing, completion). The
 * memory adapter keeps this node's events; the PostgreSQL adapter (audit and replay) is next.
 */
public interface EventLogStore {

  /** Appends an event; an event whose id was seen before is ignored. Returns its sequence number. */
  Future<Long> append(String eventId, String type, JsonObject payload);

  /** Events after a sequence number, oldest first, at most {@code limit}. */
  Future<List<JsonObject>> readAfter(long sequence, int limit);
}

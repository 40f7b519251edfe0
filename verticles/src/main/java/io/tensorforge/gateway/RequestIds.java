package io.tensorforge.gateway;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Gives every request an id, sent back as {@code X-TF-Request-Id} on every response. */
public final class RequestIds {

  public static final String HEADER = "X-TF-Request-Id";
  private static final String KEY = "tf.requestId";

  private RequestIds() {}

  /** First handler of the router: assigns the id and puts it on the response at once. */
  public static void assign(RoutingContext ctx) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String id = new UUID(r.nextLong(), r.nextLong()).toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "unknown" : id;
  }
}

package io.tensorforge.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Waits for a condition by asking again every few ms until a deadline: no fixed sleeps. */
final class Poll {

  private Poll() {}

  static Future<Void> until(Vertx vertx, Supplier<Future<Boolean>> condition, long timeoutMs, String what) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    attempt(vertx, condition, deadline, what, done);
    return done.future();
  }

  private static void attempt(Vertx vertx, Supplier<Future<Boolean>> condition, long deadline, String what, Promise<Void> done) {
    condition.get().onComplete(ar -> {
      if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail(new AssertionError("timed out waiting for " + what
            + (ar.failed() ? " (last attempt failed: " + ar.cause() + ")" : "")));
      } else {
        vertx.setTimer(20, t -> attempt(vertx, condition, deadline, what, done));
      }
    });
  }
}

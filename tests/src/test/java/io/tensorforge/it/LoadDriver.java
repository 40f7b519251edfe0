package io.tensorforge.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Sends a bounded number of requests with a bounded number in flight, and collects their results in order. */
final class LoadDriver {

  private LoadDriver() {}

  static <T> Future<List<T>> run(int total, int concurrency, IntFunction<Future<T>> call) {
    Promise<List<T>> done = Promise.promise();
    List<T> results = new ArrayList<>(java.util.Collections.nCopies(total, null));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    for (int w = 0; w < Math.min(concurrency, total); w++) {
      step(next, finished, total, call, results, done);
    }
    return done.future();
  }

  private static <T> void step(AtomicInteger next, AtomicInteger finished, int total, IntFunction<Future<T>> call,
                               List<T> results, Promise<List<T>> done) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return;
    }
    call.apply(i).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      synchronized (results) {
        results.set(i, ar.result());
      }
      if (finished.incrementAndGet() == total) {
        synchronized (results) {
          done.tryComplete(List.copyOf(results));
        }
      } else {
        step(next, finished, total, call, results, done);
      }
    });
  }
}

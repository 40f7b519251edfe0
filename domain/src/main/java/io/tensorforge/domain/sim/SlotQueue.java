package io.tensorforge.domain.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A model server's own admission: at most {@code maxConcurrent} items hold a slot, up to
 * {@code queueLimit} more wait in FIFO order, anything beyond that is rejected at once.
 *
 * <p>Not thread-safe: one owner (a verticle) calls it from one context. Limits may change at run
 * time: a larger limit grants waiting items at once, a smaller one lets running items finish and
 * never evicts a waiting item (it only refuses new arrivals while the queue is too long).
 */
public final class SlotQueue<T> {

  /** What happened to an offered item. */
  public enum Admission {
    /** It holds a slot now. */
    ADMITTED,
    /** It waits; it will be returned by a later {@link #release()} or {@link #resize}. */
    QUEUED,
    /** No slot and no room to wait. */
    REJECTED
  }

  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private int maxConcurrent;
  private int queueLimit;
  private int running;

  public SlotQueue(int maxConcurrent, int queueLimit) {
    check(maxConcurrent, queueLimit);
    this.maxConcurrent = maxConcurrent;
    this.queueLimit = queueLimit;
  }

  /** Offers an item: it takes a free slot, waits at the back of the queue, or is rejected. */
  public Admission offer(T item) {
    if (item == null) {
      throw new IllegalArgumentException("item must not be null");
    }
    if (running < maxConcurrent && waiting.isEmpty()) {
      running++;
      return Admission.ADMITTED;
    }
    if (waiting.size() < queueLimit) {
      waiting.addLast(item);
      return Admission.QUEUED;
    }
    return Admission.REJECTED;
  }

  /**
   * Frees one slot and returns the waiting items that now hold a slot, oldest first (zero or
   * one, more only after the limit was raised).
   */
  public List<T> release() {
    if (running == 0) {
      throw new IllegalStateException("release without a running item");
    }
    running--;
    return grant();
  }

  /** Removes a waiting item (its caller went away); false if it was not waiting. */
  public boolean cancel(T item) {
    Iterator<T> it = waiting.iterator();
    while (it.hasNext()) {
      if (it.next() == item) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /** Changes both limits and returns the waiting items that now hold a slot, oldest first. */
  public List<T> resize(int maxConcurrent, int queueLimit) {
    check(maxConcurrent, queueLimit);
    this.maxConcurrent = maxConcurrent;
    this.queueLimit = queueLimit;
    return grant();
  }

  public int running() {
    return running;
  }

  public int waiting() {
    return waiting.size();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public int queueLimit() {
    return queueLimit;
  }

  /** The waiting items, oldest first (a copy). */
  public List<T> waitingItems() {
    return List.copyOf(waiting);
  }

  private List<T> grant() {
    List<T> granted = new ArrayList<>(1);
    while (running < maxConcurrent && !waiting.isEmpty()) {
      running++;
      granted.add(waiting.pollFirst());
    }
    return granted;
  }

  private static void check(int maxConcurrent, int queueLimit) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be >= 1, got " + maxConcurrent);
    }
    if (queueLimit < 0) {
      throw new IllegalArgumentException("queueLimit must be >= 0, got " + queueLimit);
    }
  }
}

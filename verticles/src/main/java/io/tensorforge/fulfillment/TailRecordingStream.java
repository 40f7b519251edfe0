package io.tensorforge.fulfillment;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes an answer through to the caller unchanged and keeps only its last few kilobytes, where
 * OpenAI-compatible servers put the usage block. Nothing else of the body is held: a long stream
 * costs a fixed amount of memory.
 */
final class TailRecordingStream implements WriteStream<Buffer> {

  static final int TAIL_BYTES = 8 * 1024;

  private final WriteStream<Buffer> out;
  private final byte[] tail = new byte[TAIL_BYTES];
  private int length;

  TailRecordingStream(WriteStream<Buffer> out) {
    this.out = out;
  }

  /** The last bytes written, as text (a multi-byte character cut at the start is harmless). */
  String tail() {
    return new String(tail, 0, length, StandardCharsets.UTF_8);
  }

  private void record(Buffer data) {
    int n = data.length();
    if (n >= TAIL_BYTES) {
      data.getBytes(n - TAIL_BYTES, n, tail, 0);
      length = TAIL_BYTES;
      return;
    }
    int keep = Math.min(length, TAIL_BYTES - n);
    System.arraycopy(tail, length - keep, tail, 0, keep);
    data.getBytes(0, n, tail, keep);
    length = keep + n;
  }

  @Override
  public Future<Void> write(Buffer data) {
    record(data);
    return out.write(data);
  }

  @Override
  public Future<Void> end() {
    return out.end();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }
}

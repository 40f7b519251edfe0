package io.tensorforge.fulfillment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.Test;

class TailRecordingStreamTest {

  /** Collects what passes through, to check nothing is changed on the way. */
  static final class Collecting implements WriteStream<Buffer> {
    final Buffer all = Buffer.buffer();
    boolean ended;

    @Override public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) { return this; }
    @Override public Future<Void> write(Buffer data) { all.appendBuffer(data); return Future.succeededFuture(); }
    @Override public Future<Void> end() { ended = true; return Future.succeededFuture(); }
    @Override public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) { return this; }
    @Override public boolean writeQueueFull() { return false; }
    @Override public WriteStream<Buffer> drainHandler(Handler<Void> handler) { return this; }
  }

  @Test
  void passesEverythingThroughAndKeepsOnlyTheLastBytes() {
    Collecting out = new Collecting();
    TailRecordingStream stream = new TailRecordingStream(out);
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      String chunk = "data: chunk " + i + "\n\n";
      sent.append(chunk);
      stream.write(Buffer.buffer(chunk));
    }
    stream.end();
    assertEquals(sent.toString(), out.all.toString());
    assertEquals(true, out.ended);
    String expectedTail = sent.substring(sent.length() - TailRecordingStream.TAIL_BYTES);
    assertEquals(expectedTail, stream.tail());
  }

  @Test
  void aSingleLargeWriteKeepsItsEnd() {
    Collecting out = new Collecting();
    TailRecordingStream stream = new TailRecordingStream(out);
    String big = "x".repeat(20_000) + "{\"usage\":{\"prompt_tokens\":1}}";
    stream.write(Buffer.buffer("short"));
    stream.write(Buffer.buffer(big));
    assertEquals(big.substring(big.length() - TailRecordingStream.TAIL_BYTES), stream.tail());
  }

  @Test
  void aShortAnswerIsKeptWhole() {
    TailRecordingStream stream = new TailRecordingStream(new Collecting());
    stream.write(Buffer.buffer("ab"));
    stream.write(Buffer.buffer("cd"));
    assertEquals("abcd", stream.tail());
  }
}

package io.tensorforge.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with {@code EVALSHA}; when Redis answers {@code NOSCRIPT} (a restart, a
 * failover, {@code SCRIPT FLUSH}) it is sent once in full with {@code EVAL}, which also caches it
 * again for the next {@code EVALSHA}.
 */
final class LuaScript {

  private final String source;
  private final String sha1;

  LuaScript(String source) {
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  String sha1() {
    return sha1;
  }

  Future<Response> run(RedisAPI redis, List<String> keys, List<String> args) {
    return redis.evalsha(command(sha1, keys, args))
        .recover(err -> isNoScript(err)
            ? redis.eval(command(source, keys, args))
            : Future.failedFuture(err));
  }

  private static List<String> command(String script, List<String> keys, List<String> args) {
    List<String> cmd = new ArrayList<>(2 + keys.size() + args.size());
    cmd.add(script);
    cmd.add(Integer.toString(keys.size()));
    cmd.addAll(keys);
    cmd.addAll(args);
    return cmd;
  }

  private static boolean isNoScript(Throwable err) {
    String msg = err.getMessage();
    return msg != null && msg.startsWith("NOSCRIPT");
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }
}

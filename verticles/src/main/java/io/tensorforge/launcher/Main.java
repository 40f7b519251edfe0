package io.tensorforge.launcher;

import io.tensorforge.config.ConfigException;
import io.tensorforge.config.LaunchOptions;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tensorforge.jar [--profile NAME] [--config FILE]}: starts one node. Exits 2
 * with the list of bad keys when the configuration is invalid, 1 when the start fails otherwise.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    LaunchOptions options;
    try {
      options = parse(args, System.getenv());
    } catch (HelpRequested e) {
      System.out.println(usage());
      return;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      System.exit(64);
      return;
    }
    CountDownLatch started = new CountDownLatch(1);
    int[] exit = {0};
    Platform.start(options)
        .onSuccess(platform -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          LOG.info("shutting down");
          platform.close().toCompletionStage().toCompletableFuture().join();
        }, "tf-shutdown")))
        .onFailure(err -> exit[0] = report(err, System.err))
        .onComplete(ar -> started.countDown());
    started.await();
    if (exit[0] != 0) {
      System.exit(exit[0]);
    }
  }

  /** Prints why the start failed and returns the exit status. */
  static int report(Throwable err, PrintStream out) {
    if (err instanceof ConfigException ce) {
      out.println("TensorForge cannot start: " + ce.getMessage());
      return 2;
    }
    out.println("TensorForge cannot start: " + err.getMessage());
    return 1;
  }

  static LaunchOptions parse(String[] args, Map<String, String> env) {
    String profile = null;
    String config = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--profile" -> profile = value(args, ++i, "--profile");
        case "--config" -> config = value(args, ++i, "--config");
        case "-h", "--help" -> throw new HelpRequested();
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return new LaunchOptions(profile, config, env, null);
  }

  /** {@code --help}: print the usage and exit 0. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static String usage() {
    return """
        usage: java -jar tensorforge.jar [--profile NAME] [--config FILE]
          --profile NAME  layer conf/profiles/NAME.yaml over the defaults (or TF_PROFILE)
          --config FILE   layer FILE over the defaults and the profile (or TF_CONFIG)
          any key can be overridden as TF_<PATH>, e.g. TF_GATEWAY_PORT=9090""";
  }
}

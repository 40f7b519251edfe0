package io.tensorforge.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Where the configuration comes from, in layers (each later one wins, key by key):
 * <ol>
 *   <li>{@code conf/tensorforge.yaml}, the embedded default (from the working directory if it
 *       has one, else from the jar);</li>
 *   <li>the profile {@code conf/profiles/<profile>.yaml} ({@code --profile} or {@code TF_PROFILE});</li>
 *   <li>a file of the operator's ({@code --config} or {@code TF_CONFIG});</li>
 *   <li>environment variables {@code TF_<KEY>} (see {@link EnvOverrides});</li>
 *   <li>overrides given in code (tests).</li>
 * </ol>
 */
public record LaunchOptions(String profile, String configFile, Map<String, String> env, JsonObject overrides) {

  public static final String DEFAULT_FILE = "conf/tensorforge.yaml";

  public LaunchOptions {
    env = env == null ? Map.of() : Map.copyOf(env);
    overrides = overrides == null ? new JsonObject() : overrides.copy();
  }

  public static LaunchOptions defaults() {
    return new LaunchOptions(null, null, Map.of(), new JsonObject());
  }

  public LaunchOptions withProfile(String profile) {
    return new LaunchOptions(profile, configFile, env, overrides);
  }

  public LaunchOptions withEnv(Map<String, String> env) {
    return new LaunchOptions(profile, configFile, env, overrides);
  }

  public LaunchOptions withOverrides(JsonObject overrides) {
    return new LaunchOptions(profile, configFile, env, overrides);
  }

  /** The profile: the option, else {@code TF_PROFILE}. */
  public String effectiveProfile() {
    return profile != null ? profile : env.get("TF_PROFILE");
  }

  /** The operator's file: the option, else {@code TF_CONFIG}. */
  public String effectiveConfigFile() {
    return configFile != null ? configFile : env.get("TF_CONFIG");
  }
}

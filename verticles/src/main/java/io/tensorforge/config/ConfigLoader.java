package io.tensorforge.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Reads the layered configuration with Vert.x Config and validates it into {@link PlatformSettings}. */
public final class ConfigLoader {

  private static final Pattern PROFILE = Pattern.compile("[a-z0-9-]{1,64}");

  private ConfigLoader() {}

  /** The merged JSON of every layer, before validation. */
  public static Future<JsonObject> loadJson(Vertx vertx, LaunchOptions options) {
    String profile = options.effectiveProfile();
    if (profile != null && !PROFILE.matcher(profile).matches()) {
      return Future.failedFuture(new ConfigException("profile", "must be a profile name like 'postgres-redis', got '" + profile + "'"));
    }
    String file = options.effectiveConfigFile();
    Future<JsonObject> base = yaml(vertx, LaunchOptions.DEFAULT_FILE, "the default configuration");
    Future<JsonObject> withProfile = profile == null ? base
        : base.compose(json -> yaml(vertx, "conf/profiles/" + profile + ".yaml", "profile '" + profile + "'")
            .map(layer -> json.mergeIn(layer, true)));
    Future<JsonObject> withFile = file == null ? withProfile
        : withProfile.compose(json -> yaml(vertx, file, "config file '" + file + "'").map(layer -> json.mergeIn(layer, true)));
    return withFile.map(json -> {
      EnvOverrides.apply(json, options.env());
      return json.mergeIn(options.overrides(), true);
    });
  }

  public static Future<PlatformSettings> load(Vertx vertx, LaunchOptions options) {
    return loadJson(vertx, options).map(PlatformSettings::from);
  }

  private static Future<JsonObject> yaml(Vertx vertx, String path, String what) {
    ConfigStoreOptions store = new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store).setScanPeriod(-1));
    return retriever.getConfig()
        .andThen(ar -> retriever.close())
        .recover(err -> Future.failedFuture(new ConfigException(what,
            "cannot be read from '" + path + "': " + rootMessage(err))));
  }

  private static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

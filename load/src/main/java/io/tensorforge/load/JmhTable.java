package io.tensorforge.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a JMH JSON result ({@code -rf json -rff file}) as a Markdown table with each row's ratio
 * to its baseline from the same run: the row of the same benchmark whose parameters are the
 * row's own with the given ones replaced.
 *
 * <pre>java -cp load/target/benchmarks.jar io.tensorforge.load.JmhTable result.json strategy=round-robin,shape=single</pre>
 */
public final class JmhTable {

  private JmhTable() {}

  public static void main(String[] args) throws Exception {
    JsonArray rows = new JsonArray(Files.readString(Path.of(args[0])));
    Map<String, String> baseline = args.length > 1 && !args[1].isBlank()
        ? java.util.Arrays.stream(args[1].split(",")).map(kv -> kv.split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]))
        : Map.of();
    System.out.printf("| benchmark | params | score | error (99.9%%) | unit | ratio to baseline (%s) | secondary |%n",
        args.length > 1 ? args[1] : "none");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      JsonObject params = row.getJsonObject("params", new JsonObject());
      JsonObject primary = row.getJsonObject("primaryMetric");
      JsonObject base = find(rows, row.getString("benchmark"), baselineOf(params, baseline));
      double score = primary.getDouble("score");
      String ratio = base == null ? "-" : String.format("%.2f", score / base.getJsonObject("primaryMetric").getDouble("score"));
      StringBuilder secondary = new StringBuilder();
      JsonObject sec = row.getJsonObject("secondaryMetrics", new JsonObject());
      for (String name : sec.fieldNames()) {
        JsonObject m = sec.getJsonObject(name);
        secondary.append(secondary.length() == 0 ? "" : ", ").append(name).append(' ')
            .append(String.format("%.4g", m.getDouble("score"))).append(' ').append(m.getString("scoreUnit"));
      }
      String shortName = row.getString("benchmark").substring(row.getString("benchmark").lastIndexOf('.', row.getString("benchmark").lastIndexOf('.') - 1) + 1);
      System.out.printf("| %s | %s | %.4g | %.2g | %s | %s | %s |%n", shortName,
          params.fieldNames().stream().sorted().map(k -> k + "=" + params.getString(k)).collect(Collectors.joining(" ")),
          score, primary.getDouble("scoreError", Double.NaN), primary.getString("scoreUnit"), ratio, secondary);
    }
  }

  private static JsonObject baselineOf(JsonObject params, Map<String, String> overrides) {
    JsonObject b = params.copy();
    overrides.forEach(b::put);
    return b;
  }

  private static JsonObject find(JsonArray rows, String benchmark, JsonObject params) {
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      if (r.getString("benchmark").equals(benchmark) && r.getJsonObject("params", new JsonObject()).equals(params)) {
        return r;
      }
    }
    return null;
  }
}

package io.tensorforge.fleet;

import java.util.Map;

/** The Prometheus text of a simulated endpoint, named as vLLM names its gauges. */
final class SimMetrics {

  private SimMetrics() {}

  static String render(String endpointId, Map<String, Integer> running, Map<String, Integer> waiting,
      long served, long errors, long rejected, long cancelled) {
    StringBuilder sb = new StringBuilder(512);
    gauge(sb, "vllm:num_requests_running", "Number of requests currently being processed.", running);
    gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting for a slot.", waiting);
    sb.append("# HELP tf_sim_requests_total Requests answered by the simulated endpoint, by outcome.\n");
    sb.append("# TYPE tf_sim_requests_total counter\n");
    String endpoint = escape(endpointId);
    counter(sb, endpoint, "served", served);
    counter(sb, endpoint, "error", errors);
    counter(sb, endpoint, "rejected", rejected);
    counter(sb, endpoint, "cancelled", cancelled);
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, Map<String, Integer> byModel) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    byModel.forEach((model, value) ->
        sb.append(name).append("{model_name=\"").append(escape(model)).append("\"} ").append(value).append('\n'));
  }

  private static void counter(StringBuilder sb, String endpoint, String outcome, long value) {
    sb.append("tf_sim_requests_total{endpoint=\"").append(endpoint).append("\",outcome=\"").append(outcome)
        .append("\"} ").append(value).append('\n');
  }

  static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

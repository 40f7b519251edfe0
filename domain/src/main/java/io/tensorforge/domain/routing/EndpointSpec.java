package io.tensorforge.domain.routing;

import java.util.List;
import java.util.Objects;

/**
 * What is registered about one model endpoint: where it is, which models it serves, and how
 * many requests it may run at once. One server serving two models is one endpoint in two
 * model tables.
 */
public record EndpointSpec(String id, String url, List<String> models, int maxConcurrent) {

  public EndpointSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("an endpoint serves at least one model");
    }
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
  }
}

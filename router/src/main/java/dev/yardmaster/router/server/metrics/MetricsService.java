package dev.yardmaster.router.server.metrics;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: Triton's {@code nv_inference_*} families followed by the Micrometer
 * registry's own meters (when it is a {@link PrometheusMeterRegistry}), as Prometheus text 0.0.4.
 */
public final class MetricsService implements HttpService {

  private static final MediaType TEXT_004 = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

  private final TritonMetrics triton;
  private final MeterRegistry registry;

  public MetricsService(TritonMetrics triton, MeterRegistry registry) {
    this.triton = triton;
    this.registry = registry;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    StringBuilder text = new StringBuilder(4096);
    try {
      triton.writeTo(text);
      if (registry instanceof PrometheusMeterRegistry prometheus) {
        text.append(prometheus.scrape());
      }
    } catch (RuntimeException failure) {
      return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
          "metrics: " + failure);
    }
    return HttpResponse.of(HttpStatus.OK, TEXT_004, text.toString());
  }
}

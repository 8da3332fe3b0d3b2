package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.policy.AcceleratorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Answers carry no {@code server} or {@code date} header (Armeria adds both by default): a gRPC
 * or KServe client reads neither, and encoding them is work on every response.
 */
class ResponseHeadersTest {

  /** A unary gRPC call of ServerLive: one empty message in gRPC framing. */
  static AggregatedHttpResponse serverLive(int port) {
    return WebClient.of(SessionProtocol.H2C, Endpoint.of("127.0.0.1", port)).blocking()
        .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/inference.GRPCInferenceService/ServerLive")
            .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build(),
            HttpData.wrap(new byte[5])));
  }

  static void assertNoServerOrDate(AggregatedHttpResponse response) {
    assertThat(response.headers().get("grpc-status", response.trailers().get("grpc-status"))).isEqualTo("0");
    assertThat(response.headers().names()).extracting(Object::toString).doesNotContain("server", "date");
  }

  @Test
  void theServersPortsSendNeither() {
    YardmasterServer server = YardmasterServer.builder(FakeModelManager.standard())
        .httpPort(0).grpcPort(0).metricsPort(0).build().start();
    try {
      assertNoServerOrDate(serverLive(server.grpcPort()));
      AggregatedHttpResponse live = BlockingWebClient.of("http://127.0.0.1:" + server.httpPort()).get("/v2/health/live");
      assertThat(live.status().code()).isEqualTo(200);
      assertThat(live.headers().names()).extracting(Object::toString).doesNotContain("server", "date");
      AggregatedHttpResponse metrics = BlockingWebClient.of("http://127.0.0.1:" + server.metricsPort()).get("/metrics");
      assertThat(metrics.headers().names()).extracting(Object::toString).doesNotContain("server", "date");
    } finally {
      server.stop();
    }
  }

  @Test
  void theRoutersPortSendsNeither() throws Exception {
    RouterServer router = RouterServer.start(new RouterConfig(0, 0, 30_000, List.of(PoolConfig.of("cpu",
        AcceleratorKind.CPU, 0.17, List.of("127.0.0.1:1")))), null, new SimpleMeterRegistry(), 0);
    try {
      assertNoServerOrDate(serverLive(router.grpcPort()));
    } finally {
      router.stop();
    }
  }
}

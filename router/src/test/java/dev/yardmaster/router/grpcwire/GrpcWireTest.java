package dev.yardmaster.router.grpcwire;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import dev.yardmaster.router.admission.GrpcTimeout;
import io.grpc.Status;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The gRPC wire facts the pass-through path reads and writes without grpc-java. */
class GrpcWireTest {

  @Test
  void grpcMessageRoundTripsThroughPercentEncoding() {
    String message = "pool 'gpu': 100% busy\nnächste";
    String encoded = GrpcWire.encodeMessage(message);
    assertThat(encoded).isEqualTo("pool 'gpu': 100%25 busy%0An%C3%A4chste");
    assertThat(GrpcWire.decodeMessage(encoded)).isEqualTo(message);
    assertThat(GrpcWire.decodeMessage("50%")).isEqualTo("50%");
  }

  @Test
  void statusComesFromTrailersOrATrailersOnlyAnswerOrTheHttpStatus() {
    HttpHeaders ok = HttpHeaders.of(":status", "200");
    assertThat(GrpcWire.status(ok, HttpHeaders.of("grpc-status", "0")).isOk()).isTrue();
    Status notFound = GrpcWire.status(HttpHeaders.of(":status", "200", "grpc-status", "5", "grpc-message", "no%20model"),
        HttpHeaders.of());
    assertThat(notFound.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(notFound.getDescription()).isEqualTo("no model");
    assertThat(GrpcWire.status(HttpHeaders.of(":status", "503"), HttpHeaders.of()).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcWire.status(ok, HttpHeaders.of()).getCode()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void transportFailuresMapAsGrpcJavasClientReportsThem() {
    assertThat(GrpcWire.status(new CompletionException(ResponseTimeoutException.get())).getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(GrpcWire.status(UnprocessedRequestException.of(new ConnectException("refused"))).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcWire.status(AbortedStreamException.get()).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(GrpcWire.status(ContentTooLargeException.builder().maxContentLength(1024).build()).getCode())
        .as("an answer above the message limit").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void grpcTimeoutIsWrittenInTheFinestUnitThatFits() {
    assertThat(GrpcTimeout.format(99_999_999)).isEqualTo("99999999n");
    assertThat(GrpcTimeout.format(1_500_000_000)).isEqualTo("1500000u");
    assertThat(GrpcTimeout.format(GrpcTimeout.MAX_NANOS)).hasSizeLessThanOrEqualTo(9).endsWith("M");
    assertThat(GrpcTimeout.format(Long.MAX_VALUE)).isEqualTo("2562047H");
    for (long nanos : new long[] {1, 123_456_789, 5_000_000_000L, 86_400_000_000_000L}) {
      long parsed = GrpcTimeout.parseNanos(GrpcTimeout.format(nanos));
      assertThat(parsed).isLessThanOrEqualTo(nanos).isGreaterThan(nanos - nanos / 1000 - 1);
    }
  }
}

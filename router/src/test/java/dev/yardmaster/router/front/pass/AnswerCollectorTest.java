package dev.yardmaster.router.front.pass;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's answer read by {@link AnswerCollector}, signals delivered as they are written: DATA
 * frames joined into one frame, statuses from headers and trailers, and an answer above the message
 * limit refused by cancelling its stream, at its frame header or as its bytes come.
 */
class AnswerCollectorTest {

  private static final byte[] FRAME = GrpcFrame.of(ModelInferResponse.newBuilder().setModelName("echo")
      .setModelVersion("3").addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("OUTPUT0")
          .setDatatype("UINT8").addShape(1000))
      .addRawOutputContents(ByteString.copyFrom(new byte[1000])).build());
  private static final int MESSAGE_BYTES = FRAME.length - GrpcFrame.HEADER_BYTES; // 1034

  private final HttpResponseWriter answer = HttpResponse.streaming();
  private final Recorded recorded = new Recorded();

  @Test
  void anAnswerInOneDataFrameIsPassedOnAsItCame() {
    collect(MESSAGE_BYTES);
    answer.write(ResponseHeaders.of(HttpStatus.OK));
    answer.write(HttpData.wrap(FRAME));
    answer.write(HttpHeaders.of("grpc-status", "0"));
    answer.close();

    assertThat(recorded.error).isNull();
    assertThat(recorded.completed).isTrue();
    assertThat(recorded.frames).singleElement().satisfies(frame -> {
      assertThat(frame.bytes()).isSameAs(FRAME);
      assertThat(frame.modelVersion()).isEqualTo("3");
      assertThat(frame.problem()).isNull();
    });
  }

  @Test
  void dataFramesAreJoinedEvenWhenTheFirstSplitsTheFrameHeader() {
    for (int firstBytes : new int[] {3, 5, 400}) {
      HttpResponseWriter split = HttpResponse.streaming();
      Recorded into = new Recorded();
      split.subscribe(new AnswerCollector(into, MESSAGE_BYTES), ImmediateEventExecutor.INSTANCE);
      split.write(ResponseHeaders.of(HttpStatus.OK));
      split.write(HttpData.wrap(Arrays.copyOfRange(FRAME, 0, firstBytes)));
      split.write(HttpData.wrap(Arrays.copyOfRange(FRAME, firstBytes, 700)));
      split.write(HttpData.wrap(Arrays.copyOfRange(FRAME, 700, FRAME.length)));
      split.write(HttpHeaders.of("grpc-status", "0"));
      split.close();

      assertThat(into.error).as("first DATA frame of %d bytes", firstBytes).isNull();
      assertThat(into.frames).singleElement().satisfies(frame -> {
        assertThat(frame.bytes()).isEqualTo(FRAME);
        assertThat(frame.problem()).isNull();
      });
    }
  }

  @Test
  void aFrameHeaderDeclaringMoreThanTheLimitIsRefusedAtOnceAndOnlyThatStreamIsCancelled() {
    collect(MESSAGE_BYTES - 1);
    answer.write(ResponseHeaders.of(HttpStatus.OK));
    answer.write(HttpData.wrap(Arrays.copyOfRange(FRAME, 0, 16)));

    assertThat(recorded.error).isNotNull();
    assertThat(recorded.error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(recorded.error.getDescription()).isEqualTo("answer: more than 1033 bytes (expected: a message of at"
        + " most 1033 bytes, the router's server.max_message_mb)");
    assertThat(answer.whenComplete()).as("its subscription cancelled: the client resets the stream")
        .isCompletedExceptionally();
    assertThat(answer.tryWrite(HttpData.wrap(Arrays.copyOfRange(FRAME, 16, FRAME.length)))).isFalse();
    assertThat(recorded.completed).isFalse();
  }

  @Test
  void bytesBeyondOneMessageOfTheLimitAreRefusedAsTheyCome() {
    collect(MESSAGE_BYTES);
    answer.write(ResponseHeaders.of(HttpStatus.OK));
    answer.write(HttpData.wrap(FRAME));
    answer.write(HttpData.wrap(new byte[] {0}));

    assertThat(recorded.error).isNotNull();
    assertThat(recorded.error.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(answer.whenComplete()).isCompletedExceptionally();
    assertThat(recorded.frames).isEmpty();
  }

  @Test
  void theLimitReadsInMebibytesWhenItIsWhole() {
    assertThat(AnswerCollector.tooLarge(64 << 20).getDescription()).isEqualTo("answer: more than 67108864 bytes"
        + " (expected: a message of at most 64 MiB, the router's server.max_message_mb)");
  }

  @Test
  void aTrailersOnlyAnswerEndsWithItsStatus() {
    collect(MESSAGE_BYTES);
    answer.write(ResponseHeaders.builder(HttpStatus.OK).add("grpc-status", "5").add("grpc-message", "no%20model")
        .endOfStream(true).build());
    answer.close();

    assertThat(recorded.error).isNotNull();
    assertThat(recorded.error.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(recorded.error.getDescription()).isEqualTo("no model");
    assertThat(recorded.frames).isEmpty();
  }

  @Test
  void anAbortedAnswerIsCancelledAndReportedOnce() {
    collect(MESSAGE_BYTES);
    answer.write(ResponseHeaders.of(HttpStatus.OK));
    answer.abort(AbortedStreamException.get());
    answer.abort();

    assertThat(recorded.error).isNotNull();
    assertThat(recorded.error.getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(recorded.errors).isEqualTo(1);
  }

  private void collect(int maxMessageBytes) {
    answer.subscribe(new AnswerCollector(recorded, maxMessageBytes), ImmediateEventExecutor.INSTANCE);
  }

  private static final class Recorded implements StreamObserver<ResponseFrame> {
    final List<ResponseFrame> frames = new ArrayList<>();
    @Nullable Status error;
    int errors;
    boolean completed;

    @Override
    public void onNext(ResponseFrame frame) {
      frames.add(frame);
    }

    @Override
    public void onError(Throwable failure) {
      error = Status.fromThrowable(failure);
      errors++;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }
}

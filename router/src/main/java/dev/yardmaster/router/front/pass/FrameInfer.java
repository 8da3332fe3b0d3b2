package dev.yardmaster.router.front.pass;

import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.router.admission.GrpcTimeout;
import dev.yardmaster.router.grpcwire.GrpcWire;
import dev.yardmaster.router.pool.Endpoint;
import dev.yardmaster.router.pool.ForwardedInfer;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A ModelInfer forwarded as the caller's gRPC frame ({@link InferFrame}) over the endpoint's
 * {@link Endpoint#frames() frame client}: the bytes are sent as they came (with the tier's priority
 * appended when the client set none), with the propagated headers and the try's remaining time as
 * {@code grpc-timeout}; the answer comes back whole as a {@link ResponseFrame} ({@link AnswerCollector}),
 * within the endpoint's {@link Endpoint#maxMessageBytes() message limit}. A caller that resets its
 * stream aborts the try in flight.
 */
public final class FrameInfer implements ForwardedInfer<ResponseFrame> {

  private final InferFrame frame;
  private final byte[] bytes;
  private final HttpHeaders propagated;
  private final ServiceRequestContext caller;
  private final CallerCancellation cancellation;

  private FrameInfer(InferFrame frame, byte[] bytes, HttpHeaders propagated, ServiceRequestContext caller,
      CallerCancellation cancellation) {
    this.frame = frame;
    this.bytes = bytes;
    this.propagated = propagated;
    this.caller = caller;
    this.cancellation = cancellation;
  }

  /** {@code frame} of the call {@code caller}, whose request headers are {@code callerHeaders}. */
  public static FrameInfer of(InferFrame frame, HttpHeaders callerHeaders, ServiceRequestContext caller) {
    @Nullable HttpHeadersBuilder propagated = null; // most calls carry none or one of the few names
    for (String name : PropagatedHeaders.NAMES) {
      String value = callerHeaders.get(name);
      if (value != null) {
        if (propagated == null) {
          propagated = HttpHeaders.builder();
        }
        propagated.add(name, value);
      }
    }
    return new FrameInfer(frame, frame.bytes(), propagated == null ? HttpHeaders.of() : propagated.build(), caller,
        new CallerCancellation(caller));
  }

  /** The frame as it is sent to the endpoint. */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public String modelName() {
    return frame.modelName();
  }

  @Override
  public long rows() {
    return frame.rows();
  }

  @Override
  public FrameInfer withPriority(long priority) {
    byte[] sent = frame.withPriority(priority);
    return sent == bytes ? this : new FrameInfer(frame, sent, propagated, caller, cancellation);
  }

  @Override
  public void send(Endpoint endpoint, Deadline tryDeadline, StreamObserver<ResponseFrame> observer) {
    long remainingNanos = tryDeadline.timeRemaining(TimeUnit.NANOSECONDS);
    if (remainingNanos <= 0) {
      observer.onError(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the try was sent")
          .asRuntimeException());
      return;
    }
    RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, InferFrame.MODEL_INFER_PATH)
        .add(HttpHeaderNames.CONTENT_TYPE, GrpcWire.CONTENT_TYPE)
        .add(HttpHeaderNames.TE, "trailers")
        .add(GrpcWire.GRPC_TIMEOUT, GrpcTimeout.format(remainingNanos));
    if (!propagated.isEmpty()) {
      headers.add(propagated);
    }
    HttpResponse answer = endpoint.frames().execute(HttpRequest.of(headers.build(), HttpData.wrap(bytes)),
        RequestOptions.builder().responseTimeout(Duration.ofNanos(remainingNanos)).build());
    cancellation.tryStarted(answer);
    answer.subscribe(new AnswerCollector(observer, endpoint.maxMessageBytes()));
  }

  @Override
  public boolean callerCancelled() {
    return caller.isCancelled();
  }

  @Override
  public @Nullable String problem(ResponseFrame answer) {
    return answer.problem();
  }

  @Override
  public String modelVersion(ResponseFrame answer) {
    return answer.modelVersion();
  }

  /** Aborts the try in flight when the caller cancels; registered on the caller's context once. */
  private static final class CallerCancellation {
    private final ServiceRequestContext caller;
    private volatile @Nullable HttpResponse inFlight;
    private boolean registered;

    CallerCancellation(ServiceRequestContext caller) {
      this.caller = caller;
    }

    void tryStarted(HttpResponse answer) {
      inFlight = answer;
      if (!registered) {
        registered = true;
        caller.whenRequestCancelling().thenAccept(unused -> {
          HttpResponse current = inFlight;
          if (current != null) {
            current.abort(); // CANCELLED, as a cancelled grpc-java try: not the endpoint's failure
          }
        });
      }
    }
  }
}

package dev.yardmaster.router.front.pass;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.grpcwire.GrpcWire;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An endpoint's answer to a {@link FrameInfer}, read whole as it arrives and handed on as one {@link
 * ResponseFrame} (or the status it ended with). An answer whose frame header declares a message above
 * {@code maxMessageBytes}, or whose bytes outgrow one such message and its header as they come, has its
 * subscription cancelled, which resets that one HTTP/2 stream, and the try ends {@code
 * RESOURCE_EXHAUSTED}. Armeria's own response bound would close the whole connection instead, failing
 * every call in flight on it. One object per try, in place of {@code aggregate()}'s aggregator and
 * futures; an answer in several DATA frames is copied once, into an array of its declared length.
 */
final class AnswerCollector implements Subscriber<HttpObject> {

  private static final byte[] NONE = new byte[0];

  private final StreamObserver<ResponseFrame> observer;
  private final int maxMessageBytes;
  private @Nullable Subscription subscription;
  private @Nullable HttpHeaders headers;
  private HttpHeaders trailers = HttpHeaders.of();
  private byte[] content = NONE;
  private int length;
  private boolean ended;

  AnswerCollector(StreamObserver<ResponseFrame> observer, int maxMessageBytes) {
    this.observer = observer;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(HttpObject object) {
    if (ended) {
      return;
    }
    if (object instanceof HttpData data) {
      append(data);
    } else if (headers == null) {
      if (!(object instanceof ResponseHeaders response && response.status().isInformational())) {
        headers = (HttpHeaders) object;
      }
    } else {
      trailers = (HttpHeaders) object;
    }
  }

  private void append(HttpData data) {
    int more = data.length();
    if (more == 0) {
      return;
    }
    byte[] bytes = data.array();
    long total = (long) length + more;
    if (total > maxFrameBytes()) {
      refuse();
      return;
    }
    if (length == 0) { // the frame header declares the message's length: above the limit, refused at once
      int declared = more >= GrpcFrame.HEADER_BYTES ? GrpcFrame.messageLength(bytes) : 0;
      if (declared < 0 || declared > maxMessageBytes) {
        refuse();
        return;
      }
      // the usual answer is one DATA frame, kept as it came; else one array of the declared length
      int frameBytes = declared + GrpcFrame.HEADER_BYTES;
      content = more >= frameBytes ? bytes : Arrays.copyOf(bytes, frameBytes);
      length = more;
      return;
    }
    if (total > content.length) {
      content = Arrays.copyOf(content, (int) Math.min(Math.max(total, 2L * content.length), maxFrameBytes()));
    }
    System.arraycopy(bytes, 0, content, length, more);
    length = (int) total;
  }

  private long maxFrameBytes() {
    return (long) maxMessageBytes + GrpcFrame.HEADER_BYTES;
  }

  /** Resets this answer's stream only (late DATA frames are dropped) and ends the try RESOURCE_EXHAUSTED. */
  private void refuse() {
    ended = true;
    Objects.requireNonNull(subscription, "onSubscribe first").cancel();
    observer.onError(tooLarge(maxMessageBytes).asRuntimeException());
  }

  @Override
  public void onError(Throwable failure) {
    if (!ended) {
      ended = true;
      observer.onError(GrpcWire.status(failure).asRuntimeException());
    }
  }

  @Override
  public void onComplete() {
    if (ended) {
      return;
    }
    ended = true;
    Status status = GrpcWire.status(headers == null ? HttpHeaders.of() : headers, trailers);
    if (!status.isOk()) {
      observer.onError(status.asRuntimeException());
      return;
    }
    if (length > 0) {
      observer.onNext(ResponseFrame.of(length == content.length ? content : Arrays.copyOf(content, length)));
    }
    observer.onCompleted();
  }

  /** The status of an answer longer than one message of {@code maxMessageBytes}, naming the router's limit. */
  static Status tooLarge(int maxMessageBytes) {
    String limit = maxMessageBytes % (1 << 20) == 0 ? (maxMessageBytes >> 20) + " MiB" : maxMessageBytes + " bytes";
    return Status.RESOURCE_EXHAUSTED.withDescription("answer: more than " + maxMessageBytes
        + " bytes (expected: a message of at most " + limit + ", the router's server.max_message_mb)");
  }
}

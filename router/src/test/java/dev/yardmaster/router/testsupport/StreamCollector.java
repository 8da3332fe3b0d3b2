package dev.yardmaster.router.testsupport;

import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The answers of a ModelStreamInfer as they come; {@link #ended()} completes when the server ends
 * the stream, exceptionally when it ends it with an error.
 */
public final class StreamCollector implements StreamObserver<ModelStreamInferResponse> {

  private final List<ModelStreamInferResponse> answers;
  private final CompletableFuture<Void> ended;

  public StreamCollector() {
    this(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
  }

  /** Collects into {@code answers} (thread-safe) and ends {@code ended}. */
  public StreamCollector(List<ModelStreamInferResponse> answers, CompletableFuture<Void> ended) {
    this.answers = answers;
    this.ended = ended;
  }

  public List<ModelStreamInferResponse> answers() {
    return answers;
  }

  public CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public void onNext(ModelStreamInferResponse value) {
    answers.add(value);
  }

  @Override
  public void onError(Throwable error) {
    ended.completeExceptionally(error);
  }

  @Override
  public void onCompleted() {
    ended.complete(null);
  }
}

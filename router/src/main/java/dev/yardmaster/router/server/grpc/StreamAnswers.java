package dev.yardmaster.router.server.grpc;

import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The answers of one {@code ModelStreamInfer} call as Triton writes them for a model that is not
 * decoupled: in the order the requests came, each the request's one and final response (parameter
 * {@value #FINAL_RESPONSE} true, which streaming clients wait for), a failure as {@code
 * error_message} with the request's id, model name and version. An answer that is ready before
 * those of earlier requests waits for them.
 *
 * <p>Not thread safe: the stream's owner calls it under its own lock.
 */
public final class StreamAnswers {

  /** The response parameter that marks a request's last response on a stream. */
  public static final String FINAL_RESPONSE = "triton_final_response";

  private static final InferParameter FINAL = InferParameter.newBuilder().setBoolParam(true).build();

  /** A request's place in the answer order. */
  public static final class Slot {
    private @Nullable ModelStreamInferResponse answer;

    private Slot() {}
  }

  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();

  /** Takes the next place in the answer order, for a request just read from the stream. */
  public Slot reserve() {
    Slot slot = new Slot();
    waiting.addLast(slot);
    return slot;
  }

  /**
   * Fills {@code slot} and writes every answer now ready at the head of the order, oldest first.
   *
   * @return how many answers were written (0 while an earlier request is unanswered)
   */
  public int complete(Slot slot, ModelStreamInferResponse answer, Consumer<ModelStreamInferResponse> write) {
    if (slot.answer != null) {
      throw new IllegalStateException("slot: already answered");
    }
    slot.answer = answer;
    int written = 0;
    while (!waiting.isEmpty() && waiting.peekFirst().answer != null) {
      write.accept(waiting.pollFirst().answer);
      written++;
    }
    return written;
  }

  /** A request's response as its final answer on the stream. */
  public static ModelStreamInferResponse answer(ModelInferResponse response) {
    return ModelStreamInferResponse.newBuilder()
        .setInferResponse(response.toBuilder().putParameters(FINAL_RESPONSE, FINAL))
        .build();
  }

  /** A request's failure as its final answer on the stream. */
  public static ModelStreamInferResponse failure(ModelInferRequest request, String message) {
    return ModelStreamInferResponse.newBuilder()
        .setErrorMessage(message)
        .setInferResponse(ModelInferResponse.newBuilder()
            .setId(request.getId())
            .setModelName(request.getModelName())
            .setModelVersion(request.getModelVersion())
            .putParameters(FINAL_RESPONSE, FINAL))
        .build();
  }
}

package dev.yardmaster.router.front.pass;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.pool.ResponseCheck;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint's ModelInfer answer as its gRPC frame, passed to the caller as it came, with the
 * message decoded once for {@link ResponseCheck} and the model version; {@code problem} says what
 * is wrong with it (null when well formed).
 */
public record ResponseFrame(byte[] bytes, String modelVersion, @Nullable String problem) {

  /** Checks {@code frame} (one uncompressed frame holding a well-formed ModelInferResponse). */
  public static ResponseFrame of(byte[] frame) {
    if (frame.length < GrpcFrame.HEADER_BYTES
        || GrpcFrame.messageLength(frame) != frame.length - GrpcFrame.HEADER_BYTES) {
      return new ResponseFrame(frame, "", "gRPC framing: " + frame.length
          + " bytes (expected: one message, its 5-byte header declaring the rest)");
    }
    if (frame[0] != 0) {
      return new ResponseFrame(frame, "", "compressed response (expected: identity, the router offers no encoding)");
    }
    try {
      ModelInferResponse response = ModelInferResponse.parser()
          .parseFrom(frame, GrpcFrame.HEADER_BYTES, frame.length - GrpcFrame.HEADER_BYTES);
      return new ResponseFrame(frame, response.getModelVersion(), ResponseCheck.problem(response));
    } catch (InvalidProtocolBufferException malformed) {
      return new ResponseFrame(frame, "", "not a ModelInferResponse (" + malformed.getMessage() + ")");
    }
  }
}

package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting one unary call with per-request headers: what both drivers do per request. */
final class LoadCalls {
  private LoadCalls() {}

  /** Fresh metadata per call: grpc-java adds its own headers to the object it is given. */
  static Metadata headers(LoadRequest request) {
    Metadata metadata = new Metadata();
    if (request.headers().isEmpty()) {
      return metadata; // the usual case: no iterator per call
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      metadata.put(
          Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER), header.getValue());
    }
    return metadata;
  }

  static ClientCall<ModelInferRequest, ModelInferResponse> newCall(Channel channel, LoadSpec spec) {
    return channel.newCall(
        spec.call().method(),
        CallOptions.DEFAULT.withDeadlineAfter(spec.deadline().toNanos(), TimeUnit.NANOSECONDS));
  }

  /**
   * Sends the request on a started call; a failure to send cancels the call, whose listener then
   * sees the close.
   */
  static void send(ClientCall<ModelInferRequest, ModelInferResponse> call, LoadRequest request) {
    try {
      call.request(1);
      call.sendMessage(request.message());
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("load driver failed to send", e);
    }
  }
}

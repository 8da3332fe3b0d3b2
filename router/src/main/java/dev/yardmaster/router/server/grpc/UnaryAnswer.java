package dev.yardmaster.router.server.grpc;

import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.StatusRuntimeException;

/** Where the one answer of a unary ModelInfer goes: its response, or its gRPC status. */
interface UnaryAnswer {

  void succeed(ModelInferResponse response);

  void fail(StatusRuntimeException error);
}

package dev.yardmaster.router.server.grpc;

import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import java.util.Set;

/**
 * The gRPC serialization formats Yardmaster's gRPC services accept: protobuf, over HTTP/2 and as
 * grpc-web (binary and text). Armeria also offers JSON variants ({@code application/grpc+json});
 * no KServe or Triton client speaks them, and supporting them costs every service a JSON marshaller
 * per message type, generated with ByteBuddy when the service is built: close to a second of a
 * 2-core server's start-up.
 */
public final class GrpcFormats {

  /** {@code application/grpc}, {@code application/grpc-web} and {@code application/grpc-web-text}. */
  public static final Set<SerializationFormat> PROTOBUF = Set.of(
      GrpcSerializationFormats.PROTO, GrpcSerializationFormats.PROTO_WEB, GrpcSerializationFormats.PROTO_WEB_TEXT);

  private GrpcFormats() {}
}

package dev.yardmaster.router.front.pass;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.pool.Forwarder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One unary ModelInfer as its gRPC frame (5-byte header, then the serialized ModelInferRequest),
 * with the few facts routing needs read straight from the bytes: model name and version, rows (the
 * first input's batch dimension, as {@code Forwarder.rows}) and whether the client set Triton's
 * {@code priority} parameter. No tensor is decoded or copied: the endpoint gets the caller's bytes.
 */
public final class InferFrame {

  /** The path of a unary ModelInfer. */
  public static final String MODEL_INFER_PATH = "/inference.GRPCInferenceService/ModelInfer";

  private static final int PARAMETERS = 4;
  private static final int MAP_KEY = 1;
  private static final int MAP_VALUE = 2;
  private static final int INT64_PARAM = 2;
  private static final byte[] PRIORITY_KEY = ProtoTensorCodec.PRIORITY_PARAMETER.getBytes(StandardCharsets.UTF_8);

  private final byte[] frame;
  private final String modelName;
  private final String modelVersion;
  private final long rows;
  private final boolean hasPriority;

  private InferFrame(byte[] frame, String modelName, String modelVersion, long rows, boolean hasPriority) {
    this.frame = frame;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.rows = rows;
    this.hasPriority = hasPriority;
  }

  /**
   * The frame's facts, or null when {@code frame} is not exactly one uncompressed gRPC message
   * holding a well-formed ModelInferRequest (the caller then takes the general gRPC path, which
   * answers such calls as it always did). {@code frame} is kept, not copied. The whole message is
   * parsed, with its bytes fields aliasing the frame (no tensor is copied or decoded), so a request
   * malformed anywhere is refused here as on the general path, and never reaches an endpoint whose
   * parse failure would count against it.
   */
  public static @Nullable InferFrame parse(byte[] frame) {
    ModelInferRequest request = GrpcFrame.parse(frame, ModelInferRequest.parser());
    return request == null ? null : new InferFrame(frame, request.getModelName(), request.getModelVersion(),
        Forwarder.rows(request), request.containsParameters(ProtoTensorCodec.PRIORITY_PARAMETER));
  }

  public String modelName() {
    return modelName;
  }

  public String modelVersion() {
    return modelVersion;
  }

  /** Rows the request carries: the first input's batch dimension when it has one, else 1. */
  public long rows() {
    return rows;
  }

  /** Whether the client set Triton's {@code priority} parameter. */
  public boolean hasPriority() {
    return hasPriority;
  }

  /** The frame as received: header and message, not copied. */
  public byte[] bytes() {
    return frame;
  }

  /**
   * The frame with {@code parameters["priority"] = int64 priority} appended, or this very frame
   * when the client set a priority. Appending a map entry is how protobuf merges maps, so the
   * endpoint parses the request with the entry added; the rest of the bytes stay as they came.
   */
  public byte[] withPriority(long priority) {
    if (hasPriority) {
      return frame;
    }
    int valueSize = CodedOutputStream.computeInt64Size(INT64_PARAM, priority);
    int entrySize = CodedOutputStream.computeByteArraySize(MAP_KEY, PRIORITY_KEY)
        + CodedOutputStream.computeTagSize(MAP_VALUE) + CodedOutputStream.computeUInt32SizeNoTag(valueSize) + valueSize;
    int appended = CodedOutputStream.computeTagSize(PARAMETERS) + CodedOutputStream.computeUInt32SizeNoTag(entrySize)
        + entrySize;
    int messageLength = frame.length - GrpcFrame.HEADER_BYTES + appended;
    byte[] out = new byte[frame.length + appended];
    System.arraycopy(frame, 0, out, 0, frame.length);
    GrpcFrame.writeLength(out, messageLength);
    CodedOutputStream entry = CodedOutputStream.newInstance(out, frame.length, appended);
    try {
      entry.writeTag(PARAMETERS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      entry.writeUInt32NoTag(entrySize);
      entry.writeByteArray(MAP_KEY, PRIORITY_KEY);
      entry.writeTag(MAP_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      entry.writeUInt32NoTag(valueSize);
      entry.writeInt64(INT64_PARAM, priority);
      entry.checkNoSpaceLeft();
    } catch (IOException impossible) {
      throw new IllegalStateException("priority entry: " + impossible.getMessage(), impossible);
    }
    return out;
  }
}

package dev.yardmaster.profiler.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.yardmaster.profiler.load.LoadRequest;
import dev.yardmaster.profiler.load.RequestFactories;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import io.grpc.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A model's inputs as its server describes them (ModelMetadata and ModelConfig RPCs), and requests
 * built from them: random values within each datatype's range from a seed, or rows read from a
 * KServe v2 JSON request file ({@code {"inputs":[{"name","datatype","shape","data"}]}}) repeated to
 * fill the batch. Requests are built before the run, never during it.
 *
 * @param model model name
 * @param version the version the server reported (its first), or the one asked for
 * @param maxBatchSize the config's max_batch_size; 0 when the model does not batch
 * @param inputs per input: name, datatype and the shape of one row (batch dimension removed)
 */
public record ModelInputs(String model, String version, int maxBatchSize, List<Input> inputs) {

  private static final int POOL_SIZE = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One input tensor.
   *
   * @param name tensor name
   * @param datatype KServe v2 datatype, e.g. {@code FP32}
   * @param rowShape shape of one row; dynamic dimensions (-1) become 1
   * @param fileRow values of one row read from a file; null to generate
   */
  public record Input(String name, String datatype, List<Long> rowShape, double @Nullable [] fileRow) {

    long rowElements() {
      long elements = 1;
      for (long dim : rowShape) {
        elements *= dim;
      }
      return elements;
    }
  }

  /** Copies the inputs. */
  public ModelInputs {
    inputs = List.copyOf(inputs);
  }

  /** Asks the server over {@code channel}; throws {@link io.grpc.StatusRuntimeException} when it cannot. */
  public static ModelInputs fetch(Channel channel, String model, String version) {
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    ModelMetadataResponse metadata =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build());
    int maxBatch = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .modelConfig(ModelConfigRequest.newBuilder().setName(model).setVersion(version).build())
        .getConfig().getMaxBatchSize();
    List<Input> inputs = new ArrayList<>();
    for (ModelMetadataResponse.TensorMetadata tensor : metadata.getInputsList()) {
      List<Long> shape = new ArrayList<>(tensor.getShapeList());
      if (maxBatch > 0 && !shape.isEmpty()) {
        shape.remove(0); // the batch dimension
      }
      inputs.add(new Input(tensor.getName(), tensor.getDatatype(),
          shape.stream().map(d -> d < 0 ? 1L : d).toList(), null));
    }
    String resolved = !version.isEmpty() ? version
        : metadata.getVersionsCount() > 0 ? metadata.getVersions(metadata.getVersionsCount() - 1) : "1";
    return new ModelInputs(model, resolved, maxBatch, inputs);
  }

  /** These inputs with rows read from a KServe v2 JSON request file (first row of each input). */
  public ModelInputs withDataFile(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    JsonNode tensors = root == null ? null : root.get("inputs");
    if (tensors == null || !tensors.isArray()) {
      throw new IllegalArgumentException(file + ": inputs: missing (expected: an array of tensors)");
    }
    List<Input> withRows = new ArrayList<>();
    for (Input input : inputs) {
      JsonNode found = null;
      for (JsonNode tensor : tensors) {
        if (input.name().equals(tensor.path("name").asText())) {
          found = tensor;
        }
      }
      if (found == null || !found.path("data").isArray()) {
        throw new IllegalArgumentException(file + ": inputs." + input.name() + ".data: missing (expected: an array)");
      }
      JsonNode data = found.get("data");
      int elements = (int) input.rowElements();
      if (data.size() < elements) {
        throw new IllegalArgumentException(file + ": inputs." + input.name() + ".data: " + data.size()
            + " values (expected: >= " + elements + ", one row)");
      }
      double[] row = new double[elements];
      for (int i = 0; i < elements; i++) {
        row[i] = data.get(i).asDouble();
      }
      withRows.add(new Input(input.name(), input.datatype(), input.rowShape(), row));
    }
    return new ModelInputs(model, version, maxBatchSize, withRows);
  }

  /** Requests of {@code batch} rows (1 row without a batch dimension when the model does not batch). */
  public RequestFactory forBatch(int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ (31L * batch));
    List<LoadRequest> pool = new ArrayList<>(POOL_SIZE);
    for (int i = 0; i < POOL_SIZE; i++) {
      ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
      if (!version.isEmpty()) {
        request.setModelVersion(version);
      }
      for (Input input : inputs) {
        ModelInferRequest.InferInputTensor.Builder tensor =
            ModelInferRequest.InferInputTensor.newBuilder().setName(input.name()).setDatatype(input.datatype());
        if (maxBatchSize > 0) {
          tensor.addShape(batch);
        }
        input.rowShape().forEach(tensor::addShape);
        request.addInputs(tensor);
        long elements = input.rowElements() * (maxBatchSize > 0 ? batch : 1);
        request.addRawInputContents(contents(input, elements, random));
      }
      pool.add(LoadRequest.of(request.build(), maxBatchSize > 0 ? batch : 1));
    }
    return RequestFactories.cycling(pool);
  }

  private static ByteString contents(Input input, long elements, SplittableRandom random) {
    String type = input.datatype().toUpperCase(Locale.ROOT);
    if (type.equals("BYTES")) {
      ByteBuffer out = ByteBuffer.allocate((int) elements * 12).order(ByteOrder.LITTLE_ENDIAN);
      for (long i = 0; i < elements; i++) {
        out.putInt(8);
        for (int c = 0; c < 8; c++) {
          out.put((byte) ('a' + random.nextInt(26)));
        }
      }
      out.flip();
      return ByteString.copyFrom(out);
    }
    int size = elementSize(type);
    ByteBuffer out = ByteBuffer.allocate((int) elements * size).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < elements; i++) {
      double[] row = input.fileRow();
      boolean fromFile = row != null && row.length > 0;
      double value = fromFile ? row[(int) (i % row.length)] : 0;
      switch (type) {
        case "FP32" -> out.putFloat(fromFile ? (float) value : (float) (random.nextDouble() * 2 - 1));
        case "FP64" -> out.putDouble(fromFile ? value : random.nextDouble() * 2 - 1);
        case "FP16", "BF16" -> out.putShort(fromFile ? halfBits(type, value) : halfBits(type, random.nextDouble() * 2 - 1));
        case "BOOL" -> out.put((byte) (fromFile ? (value != 0 ? 1 : 0) : random.nextInt(2)));
        case "INT8", "UINT8" -> out.put((byte) (fromFile ? (long) value : random.nextInt(type.equals("INT8") ? -128 : 0, type.equals("INT8") ? 128 : 256)));
        case "INT16", "UINT16" -> out.putShort((short) (fromFile ? (long) value : random.nextInt(type.equals("INT16") ? -32768 : 0, type.equals("INT16") ? 32768 : 65536)));
        case "INT32", "UINT32" -> out.putInt(fromFile ? (int) (long) value : random.nextInt());
        case "INT64", "UINT64" -> out.putLong(fromFile ? (long) value : random.nextLong());
        default -> throw new IllegalArgumentException(
            "inputs." + input.name() + ".datatype: " + input.datatype() + " (expected: a KServe v2 datatype)");
      }
    }
    out.flip();
    return ByteString.copyFrom(out);
  }

  private static int elementSize(String type) {
    return switch (type) {
      case "BOOL", "INT8", "UINT8" -> 1;
      case "FP16", "BF16", "INT16", "UINT16" -> 2;
      case "FP32", "INT32", "UINT32" -> 4;
      case "FP64", "INT64", "UINT64" -> 8;
      default -> throw new IllegalArgumentException("datatype: " + type + " (expected: a KServe v2 datatype)");
    };
  }

  /** IEEE half (FP16) or bfloat16 bits of {@code value}, truncated; enough for load data. */
  private static short halfBits(String type, double value) {
    int bits = Float.floatToIntBits((float) value);
    if (type.equals("BF16")) {
      return (short) (bits >>> 16);
    }
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    if (exponent <= 0) {
      return (short) sign; // too small for a normal half: zero
    }
    return (short) (sign | Math.min(exponent, 30) << 10 | mantissa);
  }
}

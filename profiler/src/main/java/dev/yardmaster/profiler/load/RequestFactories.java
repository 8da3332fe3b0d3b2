package dev.yardmaster.profiler.load;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/** Ready-made {@link RequestFactory}s whose requests are built before the run, not during it. */
public final class RequestFactories {

  /** Distinct requests pre-built by {@link #randomFp32(String, String, int, int, long)}. */
  public static final int DEFAULT_POOL_SIZE = 16;

  private RequestFactories() {}

  /** Every call sends the same request. */
  public static RequestFactory constant(LoadRequest request) {
    return (stream, sequence) -> request;
  }

  /** Calls cycle through a pool of pre-built requests, streams starting at different offsets. */
  public static RequestFactory cycling(List<LoadRequest> pool) {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("pool: [] (expected: at least one request)");
    }
    LoadRequest[] requests = pool.toArray(LoadRequest[]::new);
    return (stream, sequence) ->
        requests[(int) Math.floorMod(sequence + stream, (long) requests.length)];
  }

  /**
   * Batch-{@code batch} FP32 requests of shape {@code [batch, rowWidth]} for one input, values
   * uniform in [-1, 1) from {@code seed}, sent as {@code raw_input_contents}; a pool of {@value
   * #DEFAULT_POOL_SIZE} distinct requests.
   */
  public static RequestFactory randomFp32(
      String modelName, String inputName, int rowWidth, int batch, long seed) {
    return randomFp32(modelName, inputName, rowWidth, batch, seed, DEFAULT_POOL_SIZE);
  }

  /** As {@link #randomFp32(String, String, int, int, long)} with a pool of {@code poolSize}. */
  public static RequestFactory randomFp32(
      String modelName, String inputName, int rowWidth, int batch, long seed, int poolSize) {
    return cycling(randomFp32Pool(modelName, inputName, rowWidth, batch, seed, poolSize));
  }

  /** The pool behind {@link #randomFp32(String, String, int, int, long, int)}. */
  public static List<LoadRequest> randomFp32Pool(
      String modelName, String inputName, int rowWidth, int batch, long seed, int poolSize) {
    if (modelName.isBlank()) {
      throw new IllegalArgumentException("modelName: '" + modelName + "' (expected: non-blank)");
    }
    if (rowWidth < 1) {
      throw new IllegalArgumentException("rowWidth: " + rowWidth + " (expected: >= 1)");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch: " + batch + " (expected: >= 1)");
    }
    if (poolSize < 1 || poolSize > 4096) {
      throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: >= 1 and <= 4096)");
    }
    long floats = (long) rowWidth * batch;
    if (floats * Float.BYTES * poolSize > 1L << 30) {
      throw new IllegalArgumentException(
          "rowWidth x batch x poolSize: " + floats * poolSize + " floats (expected: <= 1 GiB)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    LoadRequest[] pool = new LoadRequest[poolSize];
    for (int i = 0; i < poolSize; i++) {
      ByteBuffer bytes =
          ByteBuffer.allocate((int) floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (long f = 0; f < floats; f++) {
        bytes.putFloat((float) (random.nextDouble() * 2.0 - 1.0));
      }
      bytes.flip();
      ModelInferRequest message =
          ModelInferRequest.newBuilder()
              .setModelName(modelName)
              .addInputs(
                  ModelInferRequest.InferInputTensor.newBuilder()
                      .setName(inputName)
                      .setDatatype("FP32")
                      .addShape(batch)
                      .addShape(rowWidth))
              .addRawInputContents(ByteString.copyFrom(bytes))
              .build();
      pool[i] = LoadRequest.of(message, batch);
    }
    return List.of(pool);
  }
}

package dev.yardmaster.protocol;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Triton's classification extension: a requested output with the parameter
 * {@code classification: k} comes back as a BYTES tensor of the top {@code k} elements of each
 * batch row, highest first, as strings {@code "<value>:<index>"} ({@code [batch, k]} for a batching
 * model, {@code [k]} otherwise; {@code k} capped at the row's element count). Values are printed as
 * Triton's {@code std::to_string} prints them: integers in decimal, FP32 and FP64 with six decimals
 * ({@code "0.750000"}). Triton appends {@code ":<label>"} for outputs with a {@code label_filename},
 * which the config subset here does not have. Equal values keep index order.
 *
 * <p>The front ends decode the parameter ({@link #count}), and {@link #apply} is the one place the
 * classes are computed, for gRPC and HTTP alike.
 */
public final class OutputClassification {

  /** The requested-output parameter that asks for the top k classes. */
  public static final String PARAMETER = "classification";

  /** Nothing classified: every output comes back as the model computed it. */
  public static final OutputClassification NONE = new OutputClassification(Map.of());

  /** The datatypes Triton classifies: fixed-size numbers, except FP16 and BF16. */
  private static final Set<DataType> CLASSIFIABLE = EnumSet.of(DataType.UINT8, DataType.UINT16,
      DataType.UINT32, DataType.UINT64, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64,
      DataType.FP32, DataType.FP64);

  private final Map<String, Integer> countByOutput;

  private OutputClassification(Map<String, Integer> countByOutput) {
    this.countByOutput = Map.copyOf(countByOutput);
  }

  /** Classifies each named output to its count of classes (each validated by {@link #count}). */
  public static OutputClassification of(Map<String, Integer> countByOutput) {
    return countByOutput.isEmpty() ? NONE : new OutputClassification(countByOutput);
  }

  /**
   * The number of classes asked for an output, from the parameter's integer value.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the output when the value is not > 0
   */
  public static int count(String output, long value) {
    if (value <= 0) {
      throw InferenceException.invalidArgument("output '%s' parameters.%s: %d (expected: an integer > 0, the "
          + "number of top classes)", output, PARAMETER, value);
    }
    return (int) Math.min(value, Integer.MAX_VALUE); // k is capped at the row's element count anyway
  }

  public boolean isEmpty() {
    return countByOutput.isEmpty();
  }

  /**
   * The response with each classified output replaced by its classes.
   *
   * @param batched whether the model batches: the first dimension is then the batch
   * @throws InferenceException INVALID_ARGUMENT for an output whose datatype has no classes
   */
  public InferResponse apply(InferResponse response, boolean batched) {
    if (countByOutput.isEmpty()) {
      return response;
    }
    List<Tensor> outputs = new ArrayList<>(response.outputs().size());
    for (Tensor output : response.outputs()) {
      Integer count = countByOutput.get(output.name());
      outputs.add(count == null ? output : classify(output, count, batched));
    }
    return new InferResponse(response.modelName(), response.modelVersion(), response.id(), outputs,
        response.parameters());
  }

  /** The top {@code count} classes of each batch row of {@code output}, as a BYTES tensor. */
  static Tensor classify(Tensor output, int count, boolean batched) {
    DataType type = output.dataType();
    if (!CLASSIFIABLE.contains(type)) {
      throw InferenceException.invalidArgument("output '%s' parameters.%s: datatype %s has no classes (expected: "
          + "an output of one of %s)", output.name(), PARAMETER, type, CLASSIFIABLE);
    }
    boolean hasBatch = batched && output.rank() > 0;
    long rows = hasBatch ? output.dim(0) : 1;
    int rowElements = (int) (hasBatch ? Tensor.elementCount(Arrays.copyOfRange(output.shape(), 1, output.rank()))
        : Tensor.elementCount(output.shape()));
    int classes = Math.min(count, rowElements);
    ByteBuffer data = output.data();
    List<byte[]> elements = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, rows * classes));
    for (long row = 0; row < rows; row++) {
      int first = (int) (row * rowElements);
      Integer[] order = new Integer[rowElements];
      long[] keys = new long[rowElements];
      for (int i = 0; i < rowElements; i++) {
        order[i] = i;
        keys[i] = sortKey(data, type, first + i);
      }
      Arrays.sort(order, Comparator.comparingLong((Integer i) -> keys[i]).reversed()); // stable: ties keep index order
      for (int k = 0; k < classes; k++) {
        int index = order[k];
        elements.add((text(data, type, first + index) + ":" + index).getBytes(StandardCharsets.UTF_8));
      }
    }
    long[] shape = hasBatch ? new long[] {rows, classes} : new long[] {classes};
    return Tensor.of(output.name(), DataType.BYTES, shape, Tensor.bytesData(elements));
  }

  /** A long that orders elements as their values order (NaN lowest, -0.0 equal to 0.0). */
  private static long sortKey(ByteBuffer data, DataType type, int element) {
    return switch (type) {
      case UINT8 -> data.get(element) & 0xFF;
      case UINT16 -> data.getShort(element * 2) & 0xFFFF;
      case UINT32 -> data.getInt(element * 4) & 0xFFFF_FFFFL;
      case UINT64 -> data.getLong(element * 8) ^ Long.MIN_VALUE; // unsigned order as signed order
      case INT8 -> data.get(element);
      case INT16 -> data.getShort(element * 2);
      case INT32 -> data.getInt(element * 4);
      case INT64 -> data.getLong(element * 8);
      case FP32 -> doubleKey(data.getFloat(element * 4));
      case FP64 -> doubleKey(data.getDouble(element * 8));
      default -> throw new IllegalArgumentException("not classifiable: " + type);
    };
  }

  private static long doubleKey(double value) {
    if (Double.isNaN(value)) {
      return Long.MIN_VALUE;
    }
    long bits = Double.doubleToLongBits(value == 0 ? 0.0 : value);
    return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
  }

  /** The element as Triton's {@code std::to_string} prints it. */
  private static String text(ByteBuffer data, DataType type, int element) {
    return switch (type) {
      case UINT64 -> Long.toUnsignedString(data.getLong(element * 8));
      case FP32 -> fixedSixDecimals(data.getFloat(element * 4));
      case FP64 -> fixedSixDecimals(data.getDouble(element * 8));
      default -> Long.toString(sortKey(data, type, element));
    };
  }

  /** C's {@code "%f"}: the exact binary value rounded to six decimals, ties to even, sign kept. */
  static String fixedSixDecimals(double value) {
    boolean negative = (Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0;
    if (Double.isNaN(value)) {
      return negative ? "-nan" : "nan";
    }
    if (Double.isInfinite(value)) {
      return negative ? "-inf" : "inf";
    }
    String digits = new BigDecimal(Math.abs(value)).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + digits : digits;
  }

  @Override
  public String toString() {
    return countByOutput.toString();
  }
}

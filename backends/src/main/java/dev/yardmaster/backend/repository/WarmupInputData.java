package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The raw data of one sample of a warmup input, as Triton makes it: zeros, random values, or the
 * bytes of a file under the model's {@code warmup/} directory. {@link DataType#BYTES} data is
 * 4-byte little-endian length-prefixed elements; its zero and random data are empty elements, as
 * Triton uses zero data for strings.
 */
final class WarmupInputData {

  private WarmupInputData() {}

  /** {@code elements} zeros; for BYTES, that many empty elements. */
  static byte[] zeros(DataType type, long elements) {
    return new byte[Math.toIntExact(elements * (type.isFixedSize() ? type.elementSize() : Integer.BYTES))];
  }

  /**
   * {@code elements} random values: bytes for integer types, 0 or 1 for BOOL, values in [0, 1)
   * for FP32 and FP64 and in [1, 2) for FP16 and BF16 (no NaN or infinity to slow a first run
   * down); empty elements for BYTES.
   */
  static byte[] random(DataType type, long elements, Random random) {
    byte[] data = zeros(type, elements);
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case BYTES -> { }
      case BOOL -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = (byte) (random.nextBoolean() ? 1 : 0);
        }
      }
      case FP32 -> {
        while (buffer.hasRemaining()) {
          buffer.putFloat(random.nextFloat());
        }
      }
      case FP64 -> {
        while (buffer.hasRemaining()) {
          buffer.putDouble(random.nextDouble());
        }
      }
      case FP16 -> {
        while (buffer.hasRemaining()) {
          buffer.putShort((short) (0x3C00 | random.nextInt(0x400)));
        }
      }
      case BF16 -> {
        while (buffer.hasRemaining()) {
          buffer.putShort((short) (0x3F80 | random.nextInt(0x80)));
        }
      }
      default -> random.nextBytes(data);
    }
    return data;
  }

  /**
   * The bytes of {@code file}, one sample of {@code elements} elements of {@code type}.
   *
   * @param name the file as the config names it, for messages
   * @param shape the sample's dims, for messages
   * @throws InferenceException INVALID_ARGUMENT when the file is missing, unreadable, or not one
   *     sample's worth of data
   */
  static byte[] file(Path file, String name, DataType type, long elements, String shape) {
    if (!Files.isRegularFile(file)) {
      throw InferenceException.invalidArgument("input_data_file '%s': '%s' %s (expected: a file under the model's "
          + "%s/ directory)", name, file, Files.isDirectory(file) ? "is a directory" : "not found",
          ModelWarmupValidator.WARMUP_DIRECTORY);
    }
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw InferenceException.invalidArgument("input_data_file '%s': %s (expected: a readable file)", name, e);
    }
    if (type.isFixedSize()) {
      long expected = elements * type.elementSize();
      if (data.length != expected) {
        throw InferenceException.invalidArgument("input_data_file '%s': %d bytes (expected: %d, one sample of dims "
            + "%s of %s)", name, data.length, expected, shape, type.configType());
      }
    } else {
      long found = countElements(data);
      if (found != elements) {
        throw InferenceException.invalidArgument("input_data_file '%s': %s in %d bytes (expected: %d elements, each "
            + "a 4-byte little-endian length then its bytes, one sample of dims %s of %s)", name,
            found < 0 ? "not length-prefixed elements" : found + " elements", data.length, elements, shape,
            type.configType());
      }
    }
    return data;
  }

  /** {@code sample} {@code times} over, the data of a batch. */
  static byte[] repeat(byte[] sample, long times) {
    byte[] batch = new byte[Math.toIntExact(sample.length * times)];
    for (int i = 0; i < times; i++) {
      System.arraycopy(sample, 0, batch, i * sample.length, sample.length);
    }
    return batch;
  }

  /** How many length-prefixed elements fill {@code data} exactly; -1 when they do not. */
  private static long countElements(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    long count = 0;
    while (buffer.remaining() >= Integer.BYTES) {
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        return -1;
      }
      buffer.position(buffer.position() + length);
      count++;
    }
    return buffer.hasRemaining() ? -1 : count;
  }
}

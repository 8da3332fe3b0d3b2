package dev.yardmaster.protocol;

import org.jspecify.annotations.Nullable;

/**
 * KServe v2 tensor datatypes with their Triton names, element sizes and model-config enum values.
 * {@link #BYTES} elements are variable length: on the wire each is a 4-byte little-endian length
 * followed by the bytes, as in Triton's raw format.
 */
public enum DataType {
  BOOL(1, dev.yardmaster.protocol.v2.DataType.TYPE_BOOL),
  UINT8(1, dev.yardmaster.protocol.v2.DataType.TYPE_UINT8),
  UINT16(2, dev.yardmaster.protocol.v2.DataType.TYPE_UINT16),
  UINT32(4, dev.yardmaster.protocol.v2.DataType.TYPE_UINT32),
  UINT64(8, dev.yardmaster.protocol.v2.DataType.TYPE_UINT64),
  INT8(1, dev.yardmaster.protocol.v2.DataType.TYPE_INT8),
  INT16(2, dev.yardmaster.protocol.v2.DataType.TYPE_INT16),
  INT32(4, dev.yardmaster.protocol.v2.DataType.TYPE_INT32),
  INT64(8, dev.yardmaster.protocol.v2.DataType.TYPE_INT64),
  FP16(2, dev.yardmaster.protocol.v2.DataType.TYPE_FP16),
  BF16(2, dev.yardmaster.protocol.v2.DataType.TYPE_BF16),
  FP32(4, dev.yardmaster.protocol.v2.DataType.TYPE_FP32),
  FP64(8, dev.yardmaster.protocol.v2.DataType.TYPE_FP64),
  BYTES(-1, dev.yardmaster.protocol.v2.DataType.TYPE_STRING);

  private static final DataType[] VALUES = values();

  private final int elementSize;
  private final dev.yardmaster.protocol.v2.DataType configType;

  DataType(int elementSize, dev.yardmaster.protocol.v2.DataType configType) {
    this.elementSize = elementSize;
    this.configType = configType;
  }

  /** Bytes per element, or -1 for {@link #BYTES}. */
  public int elementSize() {
    return elementSize;
  }

  public boolean isFixedSize() {
    return elementSize > 0;
  }

  /** The name used on the wire, e.g. {@code "FP32"}. */
  public String wireName() {
    return name();
  }

  /** The model-config enum value, e.g. {@code TYPE_FP32}. */
  public dev.yardmaster.protocol.v2.DataType configType() {
    return configType;
  }

  /** The datatype with this wire name, or null when there is none. */
  public static @Nullable DataType fromWireName(String wireName) {
    for (DataType type : VALUES) {
      if (type.name().equals(wireName)) {
        return type;
      }
    }
    return null;
  }

  /** The datatype of a model-config enum value, or null for TYPE_INVALID / unknown values. */
  public static @Nullable DataType fromConfigType(dev.yardmaster.protocol.v2.DataType configType) {
    for (DataType type : VALUES) {
      if (type.configType == configType) {
        return type;
      }
    }
    return null;
  }
}

package dev.yardmaster.router.server.http;

/** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloat {

  private HalfFloat() {}

  static float toFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13)); // infinity or NaN
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // zero or subnormal
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}

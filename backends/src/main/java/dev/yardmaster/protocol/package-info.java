/**
 * The KServe v2 / Triton wire vocabulary: datatypes, tensors as little-endian bytes, and the
 * conversions between protobuf messages and tensors. Generated protobuf types live in
 * {@code dev.yardmaster.protocol.v2}.
 */
@NullMarked
package dev.yardmaster.protocol;

import org.jspecify.annotations.NullMarked;

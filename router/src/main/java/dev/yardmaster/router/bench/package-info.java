/**
 * Serving benchmarks shared by {@code yardmaster demo} and {@code yardmaster bench}: closed-loop
 * gRPC sweeps against the in-process server, the echo ceiling, raw ONNX Runtime throughput and the
 * budget checks from DESIGN.md.
 */
@NullMarked
package dev.yardmaster.router.bench;

import org.jspecify.annotations.NullMarked;

/**
 * Routing policy: which pool serves a request, as a pure function of the request and a pool
 * snapshot (no I/O, clock, metrics, Armeria, gRPC, ONNX Runtime, AWS or Jackson), so the server,
 * the simulator and JMH call the same code.
 */
@NullMarked
package dev.yardmaster.router.policy;

import org.jspecify.annotations.NullMarked;

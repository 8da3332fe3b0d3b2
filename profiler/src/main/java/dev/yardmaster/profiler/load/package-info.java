/**
 * The load driver: closed-loop and open-loop gRPC load against a KServe v2 endpoint or the bench
 * echo RPC, measured into latency histograms and throughput, reused by the profiler, {@code
 * yardmaster bench} and {@code yardmaster demo}.
 */
@NullMarked
package dev.yardmaster.profiler.load;

import org.jspecify.annotations.NullMarked;

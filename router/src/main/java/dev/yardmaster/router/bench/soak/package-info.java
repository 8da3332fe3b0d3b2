/**
 * The footprint benchmark ({@code yardmaster soak}): DESIGN.md's memory and start-up budgets for
 * the demo server, measured on a real child process. Start-up is timed from launch to {@code
 * /v2/health/ready}; then a bounded 64-way gRPC load runs in windows while the process's resident
 * memory (Linux {@code /proc}) and its JVM heap (its own {@code /metrics}) are sampled after each;
 * the budgets are judged on those samples.
 */
@NullMarked
package dev.yardmaster.router.bench.soak;

import org.jspecify.annotations.NullMarked;

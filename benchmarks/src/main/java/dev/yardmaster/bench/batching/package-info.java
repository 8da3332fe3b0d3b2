/** JMH benchmarks of the dynamic batcher's batch forming ({@code dev.yardmaster.backend.batching}). */
@NullMarked
package dev.yardmaster.bench.batching;

import org.jspecify.annotations.NullMarked;

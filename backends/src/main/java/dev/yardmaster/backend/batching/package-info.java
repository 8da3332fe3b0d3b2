/**
 * Scheduling of one model version with Triton's semantics: the pure batch-forming state machine
 * ({@link dev.yardmaster.backend.batching.BatchFormer}), tensor concatenation and splitting, and
 * the dynamic-batching and direct schedulers built on them. The dynamic batcher can also run a
 * tiny model's batches on the caller's event loop ({@code inline_execution_max_microseconds}, see
 * {@link dev.yardmaster.backend.batching.DynamicBatchScheduler}).
 */
@NullMarked
package dev.yardmaster.backend.batching;

import org.jspecify.annotations.NullMarked;

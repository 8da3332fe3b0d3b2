/**
 * Scheduling of one model version with Triton's semantics: the pure batch-forming state machine
 * ({@link dev.yardmaster.backend.batching.BatchFormer}), tensor concatenation and splitting, and
 * the dynamic-batching and direct schedulers built on them.
 */
@NullMarked
package dev.yardmaster.backend.batching;

import org.jspecify.annotations.NullMarked;

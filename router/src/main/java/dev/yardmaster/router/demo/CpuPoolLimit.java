package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why the tour's cheap pool saturates at the peak: what it is, and the capacity the load is scaled
 * to.
 *
 * @param pool the CPU pool's name
 * @param setup how it serves the model, e.g. one instance, one request at a time
 * @param capacity rows per second it drained in its profile with batch-1 requests (the best
 *     closed-loop point, measured straight at the pool)
 */
record CpuPoolLimit(String pool, String setup, @JsonProperty("capacity_rows_per_second") double capacity) {}

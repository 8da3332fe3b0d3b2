package dev.yardmaster.sim;

import org.jspecify.annotations.Nullable;

/**
 * One tier's outcome under one policy.
 *
 * @param tier tier name
 * @param budgetMs the p99 budget, or null for best effort
 * @param requests requests of the tier in the trace
 * @param shed requests refused
 * @param p50Ms median latency of served requests (NaN when none)
 * @param p99Ms 99th percentile latency of served requests (NaN when none)
 * @param compliance share that met the tier: within budget, or for best effort served in time
 */
public record TierSummary(String tier, @Nullable Double budgetMs, long requests, long shed,
    double p50Ms, double p99Ms, double compliance) {}

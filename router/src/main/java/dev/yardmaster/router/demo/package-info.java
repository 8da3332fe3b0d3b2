/**
 * The product tour behind {@code yardmaster demo}: a router over a local ONNX Runtime CPU pool of
 * bounded capacity and emulated GPU and Inferentia pools (all served in the router's process), quick
 * profiles of each pool, a bounded mixed-tier open-loop load scaled to the CPU pool's capacity (a
 * peak above it), and per policy a table per tier, and per phase for cost-aware, of where the
 * traffic went, its latency against the tier's budget, SLA compliance and cost per 1M inferences.
 */
@NullMarked
package dev.yardmaster.router.demo;

import org.jspecify.annotations.NullMarked;

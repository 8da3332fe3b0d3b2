/**
 * Pools of remote KServe v2 endpoints: endpoint choice (least request, two choices), active health
 * checks, outlier ejection, retries within a budget, live stats for routing and their metrics.
 */
@NullMarked
package dev.yardmaster.router.pool;

import org.jspecify.annotations.NullMarked;

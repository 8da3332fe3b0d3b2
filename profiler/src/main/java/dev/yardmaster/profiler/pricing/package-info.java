/**
 * Hourly instance prices: per-pool overrides, a file cache, the AWS Price List API and a bundled
 * offline table, resolved in that order with every miss kept and its reason reported.
 */
@NullMarked
package dev.yardmaster.profiler.pricing;

import org.jspecify.annotations.NullMarked;

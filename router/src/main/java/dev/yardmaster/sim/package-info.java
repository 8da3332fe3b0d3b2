/**
 * The policy simulator: traces, a discrete-event model of pools that calls the routing policy the
 * server uses, fleet sizing per policy, a fluid oracle as the lower bound on cost, and reports.
 */
@NullMarked
package dev.yardmaster.sim;

import org.jspecify.annotations.NullMarked;

/**
 * Routing in the live router: the routing table built from config and profiles, the per-request
 * decision over live pool views, its metrics and the online correction of predictions.
 */
@NullMarked
package dev.yardmaster.router.routing;

import org.jspecify.annotations.NullMarked;

/**
 * The router-hop benchmark: the same closed-loop load straight to a backend, through the
 * Yardmaster router and through nginx {@code grpc_pass} as the peer proxy, each proxy its own
 * process on loopback.
 */
@NullMarked
package dev.yardmaster.router.front.hop;

import org.jspecify.annotations.NullMarked;

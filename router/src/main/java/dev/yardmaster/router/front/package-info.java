/**
 * The router's front end: the KServe v2 gRPC service that forwards to a pool (the only one, or the
 * one named by {@code x-yardmaster-pool}), and the server that runs it from config with metrics and
 * hot reload.
 */
@NullMarked
package dev.yardmaster.router.front;

import org.jspecify.annotations.NullMarked;

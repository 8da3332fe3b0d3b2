/**
 * The Yardmaster server: KServe v2 / Triton gRPC, HTTP/JSON and Prometheus front ends over one
 * {@link dev.yardmaster.backend.ModelManager}, with graceful stop.
 */
@NullMarked
package dev.yardmaster.router.server;

import org.jspecify.annotations.NullMarked;

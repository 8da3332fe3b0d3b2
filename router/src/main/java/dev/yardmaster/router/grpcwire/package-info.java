/**
 * gRPC over HTTP/2 as the pass-through paths speak it without grpc-java (the router's ModelInfer
 * forwarding and the server's own unary calls): which calls qualify, frames in and out, statuses
 * and trailers-only answers.
 */
@NullMarked
package dev.yardmaster.router.grpcwire;

import org.jspecify.annotations.NullMarked;

/** The KServe v2 / Triton gRPC inference service and the bench echo service. */
@NullMarked
package dev.yardmaster.router.server.grpc;

import org.jspecify.annotations.NullMarked;

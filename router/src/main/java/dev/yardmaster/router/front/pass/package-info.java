/**
 * The pass-through ModelInfer path: unary gRPC frames routed from a few fields read off their bytes
 * and forwarded to the chosen endpoint unchanged, beside (and in front of) the general gRPC service.
 */
@NullMarked
package dev.yardmaster.router.front.pass;

import org.jspecify.annotations.NullMarked;

/**
 * Local backends a router fronts as pools of real endpoints: Yardmaster started as {@code serve
 * --backend-only} child processes on loopback ephemeral ports, and the in-process backends that
 * serve {@code kind: onnxruntime} and {@code kind: emulated} pools.
 */
@NullMarked
package dev.yardmaster.router.local;

import org.jspecify.annotations.NullMarked;

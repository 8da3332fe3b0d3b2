/**
 * Local-process backends for the demo and tests: Yardmaster started as {@code serve --backend-only}
 * child processes on loopback ephemeral ports, which a router fronts as pools of real endpoints.
 */
@NullMarked
package dev.yardmaster.router.local;

import org.jspecify.annotations.NullMarked;

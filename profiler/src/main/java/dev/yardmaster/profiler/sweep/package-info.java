/** Sweeps: measures a model over a batch x concurrency grid on KServe v2 endpoints and builds its profile. */
@NullMarked
package dev.yardmaster.profiler.sweep;

import org.jspecify.annotations.NullMarked;

/** Load generation and measurement of models on backends: the profiler and the benchmark driver. */
@NullMarked
package dev.yardmaster.profiler;

import org.jspecify.annotations.NullMarked;

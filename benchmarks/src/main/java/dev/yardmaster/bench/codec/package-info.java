/** JMH benchmarks of the KServe v2 tensor codec ({@code dev.yardmaster.protocol}). */
@NullMarked
package dev.yardmaster.bench.codec;

import org.jspecify.annotations.NullMarked;

/** JMH benchmarks of Yardmaster's hot paths; run with {@code ./yardmaster jmh}. */
package dev.yardmaster.bench;

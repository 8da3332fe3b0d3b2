package dev.yardmaster.router.bench.soak;

import org.jspecify.annotations.Nullable;

/**
 * One load window of the soak and the server's memory at its end.
 *
 * @param minutes minutes since the load started, at the window's end
 * @param inferencesPerSecond successful inferences per second in the window
 * @param p99Ms the window's 99th percentile latency, milliseconds
 * @param requests requests completed in the window, successes and failures
 * @param errors failed requests in the window
 * @param rssMiB the server's resident memory at the window's end; null where unreadable
 * @param peakRssMiB the server's largest resident memory so far; null where unreadable
 * @param heapUsedMiB the server's JVM heap in use ({@code jvm_memory_used_bytes{area="heap"}});
 *     null when its metrics lack it
 * @param oldGenMiB the old generation in use ({@code jvm_memory_used_bytes} of G1 Old Gen, Tenured
 *     Gen or PS Old Gen): what promotion fills and a leak would ratchet up; null when its metrics
 *     lack it
 * @param liveHeapMiB the long-lived heap after the last old-generation collection ({@code
 *     jvm_gc_live_data_size_bytes}); null until such a collection has measured it
 * @param directMiB direct buffers in use ({@code jvm_buffer_memory_used_bytes{id="direct"}}); null
 *     when its metrics lack it
 */
public record SoakSample(
    double minutes,
    double inferencesPerSecond,
    double p99Ms,
    long requests,
    long errors,
    @Nullable Double rssMiB,
    @Nullable Double peakRssMiB,
    @Nullable Double heapUsedMiB,
    @Nullable Double oldGenMiB,
    @Nullable Double liveHeapMiB,
    @Nullable Double directMiB) {}

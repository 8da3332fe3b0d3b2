package dev.yardmaster.router.bench;

/**
 * In-process ONNX Runtime throughput of one model at one batch size, no server in between.
 *
 * @param model the model
 * @param batch rows per run
 * @param runs measured {@code OrtModelRunner.run} calls
 * @param seconds the measured time
 * @param rowsPerSecond rows (inferences) per second
 * @param meanRunMs mean time of one run, milliseconds
 */
public record RawPoint(
    String model, int batch, long runs, double seconds, double rowsPerSecond, double meanRunMs) {}

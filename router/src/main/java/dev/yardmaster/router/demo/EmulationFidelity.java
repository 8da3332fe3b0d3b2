package dev.yardmaster.router.demo;

/**
 * How faithfully an emulated pool kept to its device's timing over the whole tour.
 *
 * @param pool the emulated pool
 * @param device the emulated device profile's name
 * @param executions executions on the emulated device
 * @param lagging executions the host finished later than the device would have: their latency is
 *     the host's, not the device's
 */
record EmulationFidelity(String pool, String device, long executions, long lagging) {}

package dev.yardmaster.backend.emulated;

import java.util.concurrent.atomic.LongAdder;

/** Executions and lagging executions, counted across several runners. */
final class EmulationCounters {
  final LongAdder executions = new LongAdder();
  final LongAdder lagging = new LongAdder();
}

package dev.yardmaster.router.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets a connection coalesce the flushes of responses written outside a socket read as well.
 *
 * <p>Armeria flushes after every response and consolidates flushes only while the connection is
 * reading, which suits a service that answers inside the read (the bare echo). A model's answers
 * are written later, from tasks on the event loop, and each would then cost its own write
 * syscall and TCP segment (plus the client's read of it) over loopback: at high concurrency that
 * was most of what served requests cost beyond echo. Consolidating there too defers a flush to
 * the end of the event loop's current batch of tasks, so a batch's answers to one connection leave
 * in one write; the delay is the rest of that loop iteration.
 */
final class FlushConsolidation {

  private static final String NAME = "yardmaster-flush-consolidation";

  private FlushConsolidation() {}

  /** Replaces Armeria's read-only flush consolidation of a child channel (or adds one first). */
  static void consolidateOutsideReads(ChannelPipeline pipeline) {
    FlushConsolidationHandler consolidating = new FlushConsolidationHandler(
        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    FlushConsolidationHandler armerias = pipeline.get(FlushConsolidationHandler.class);
    if (armerias != null) {
      pipeline.replace(armerias, NAME, consolidating);
    } else {
      pipeline.addFirst(NAME, consolidating);
    }
  }
}

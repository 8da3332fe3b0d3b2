package dev.yardmaster.router.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;

/**
 * The JVM's own meters on a server's registry, for operators sizing its heap: memory pools and
 * direct buffers ({@code jvm_memory_used_bytes}, {@code jvm_buffer_memory_used_bytes}), collections
 * ({@code jvm_gc_pause_seconds}, and {@code jvm_gc_live_data_size_bytes}: the long-lived heap after
 * the last collection, which a leak grows) and threads. Close to stop listening for collections.
 */
public final class JvmMeters implements AutoCloseable {

  private final JvmGcMetrics collections;

  private JvmMeters(JvmGcMetrics collections) {
    this.collections = collections;
  }

  /** Binds the meters; bind once per registry, or collections are counted twice. */
  public static JvmMeters bind(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    JvmGcMetrics collections = new JvmGcMetrics();
    collections.bindTo(registry);
    return new JvmMeters(collections);
  }

  @Override
  public void close() {
    collections.close();
  }
}

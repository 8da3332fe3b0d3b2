package dev.yardmaster.router.server;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.protocol.Tensor;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * ONNX Runtime runners whose executions wait while the run gate is closed, and whose opening (a
 * model load) waits while the open gate is closed: what Triton's qa tests get from a model with an
 * execute or load delay, held as long as a test needs instead of for a fixed time. Counts both,
 * and runners opened and closed (Triton's qa models count initialize and finalize calls), keeps
 * each execution's batch (the first input's first dim), and fails executions with {@link
 * #failWith}'s message while it is set (a model whose execute raises).
 */
final class GatedRunners implements RunnerFactory {

  static final Duration WAIT = Duration.ofSeconds(20);

  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger opening = new AtomicInteger();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  final List<Long> batches = new CopyOnWriteArrayList<>();
  volatile String failWith = "";
  private final RunnerFactory onnxRuntime = OrtRunnerFactory.withDefaults();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile CountDownLatch openGate = new CountDownLatch(0);

  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  void closeLoads() {
    openGate = new CountDownLatch(1);
  }

  void openLoads() {
    openGate.countDown();
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    opening.incrementAndGet();
    pass(openGate, "load gate");
    ModelRunner runner = onnxRuntime.open(spec, modelFile);
    opened.incrementAndGet();
    return new ModelRunner() {
      @Override
      public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        started.incrementAndGet();
        long[] shape = inputs.values().iterator().next().shape();
        batches.add(shape.length == 0 ? 0 : shape[0]);
        if (!failWith.isEmpty()) {
          throw new IllegalStateException(failWith);
        }
        pass(gate, "gate");
        return runner.run(inputs, outputNames);
      }

      @Override
      public String kind() {
        return runner.kind();
      }

      @Override
      public void close() {
        closed.incrementAndGet();
        runner.close();
      }
    };
  }

  /** Opens both gates, so that nothing a test held waits, then closes its client and stops its server. */
  void release(ManagedChannel channel, YardmasterServer server) {
    open();
    openLoads();
    channel.shutdownNow();
    server.stop();
  }

  /** Waits, at most {@link #WAIT}, until {@code condition} holds on the server the gates hold. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("waiting for " + what + ": still false after " + WAIT);
      }
      Thread.sleep(5);
    }
  }

  private static void pass(CountDownLatch latch, String name) {
    try {
      if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + ": still closed after " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.yardmaster.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a serving command alive until the JVM is asked to stop (SIGTERM, Ctrl-C), then stops it gracefully. */
final class UntilShutdown {
  private UntilShutdown() {}

  /** Blocks until shutdown; {@code stop} runs on the shutdown hook before this returns. */
  static void await(String name, Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      stopped.countDown();
    }, name));
    stopped.await();
  }
}

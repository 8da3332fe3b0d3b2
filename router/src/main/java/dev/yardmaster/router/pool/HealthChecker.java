package dev.yardmaster.router.pool;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.router.config.HealthCheckConfig;
import io.grpc.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: ServerReady, then ModelReady for each configured model, each within the
 * check timeout. {@code healthy_threshold} passes in a row make an endpoint healthy, {@code
 * unhealthy_threshold} failures in a row unhealthy. At most one check per endpoint is in flight.
 */
public final class HealthChecker {

  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private HealthChecker() {}

  /** Starts one check of every endpoint of {@code pool} that has none in flight. */
  public static void checkAll(Pool pool) {
    for (Endpoint endpoint : pool.endpoints()) {
      if (!endpoint.removed() && endpoint.checking.compareAndSet(false, true)) {
        check(pool, endpoint);
      }
    }
  }

  private static void check(Pool pool, Endpoint endpoint) {
    HealthCheckConfig config = pool.config().healthCheck();
    Deadline deadline = Deadline.after(config.timeoutMillis(), TimeUnit.MILLISECONDS);
    List<ListenableFuture<?>> checks = new ArrayList<>(1 + config.models().size());
    try {
      checks.add(Futures.transform(endpoint.client().serverReady(deadline),
          r -> r.getReady() ? r : fail("ServerReady: false"), MoreExecutors.directExecutor()));
      for (String model : config.models()) {
        checks.add(Futures.transform(
            endpoint.client().modelReady(ModelReadyRequest.newBuilder().setName(model).build(), deadline,
                PropagatedHeaders.none()),
            r -> r.getReady() ? r : fail("ModelReady '" + model + "': false"), MoreExecutors.directExecutor()));
      }
    } catch (RuntimeException closed) {
      endpoint.checking.set(false);
      return;
    }
    // whenAllComplete, not allAsList: allAsList logs every failure after the first at SEVERE, i.e.
    // on every check of a down endpoint with models configured
    Futures.whenAllComplete(checks).run(() -> record(pool, endpoint, firstFailure(checks)),
        MoreExecutors.directExecutor());
  }

  /** The first failed check's message, or null when all passed. */
  private static @Nullable String firstFailure(List<ListenableFuture<?>> checks) {
    for (ListenableFuture<?> check : checks) {
      try {
        Futures.getDone(check);
      } catch (ExecutionException failed) {
        return String.valueOf(failed.getCause().getMessage());
      } catch (CancellationException cancelled) {
        return "cancelled";
      }
    }
    return null;
  }

  private static Object fail(String what) {
    throw new IllegalStateException(what + " (expected: true)");
  }

  private static void record(Pool pool, Endpoint endpoint, @Nullable String failure) {
    HealthCheckConfig config = pool.config().healthCheck();
    if (failure == null) {
      endpoint.failuresInARow = 0;
      endpoint.passesInARow++;
      if (!endpoint.healthy() && endpoint.passesInARow >= config.healthyThreshold()) {
        endpoint.setHealthy(true);
        log.info("pool '{}': endpoint {} is healthy", pool.name(), endpoint.id());
      }
    } else {
      endpoint.passesInARow = 0;
      endpoint.failuresInARow++;
      if (endpoint.healthy() && endpoint.failuresInARow >= config.unhealthyThreshold()) {
        endpoint.setHealthy(false);
        log.warn("pool '{}': endpoint {} is unhealthy: {}", pool.name(), endpoint.id(), failure);
      }
    }
    endpoint.checking.set(false);
  }
}

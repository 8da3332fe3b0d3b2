package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.InferResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Completes an execution's requests on the threads their callers offered, with one task per
 * caller thread rather than one per request.
 *
 * <p>Completing a request runs its caller's continuation: encoding the response and writing it to
 * the connection. Done on the instance thread, that work for every member of a batch delays the
 * instance's next execution (tens of microseconds per request against a few milliseconds of
 * compute for a batch of wide_mlp); handed to the callers' event loops, it runs there while the
 * instance computes. The members of a batch come from a handful of event loops, so posting one
 * task per loop also saves most of the wake-ups a task per response would cost.
 *
 * <p>Members whose caller offered no thread, or offered the thread running the execution (an
 * inline execution on the caller's event loop), complete at once, after the others are posted. A
 * caller thread that no longer takes tasks (its event loop shut down) gets its responses here.
 * Executors are grouped by identity: callers pass their event loop itself (for Armeria, the
 * request context's {@code eventLoop().withoutContext()}, the same object for every call on it).
 */
final class ResponseDelivery {

  private ResponseDelivery() {}

  /**
   * Completes {@code members.get(i)} with {@code responses.get(i)}.
   *
   * @param here the executor whose thread runs this call, or null when it is none of the callers'
   */
  static void complete(List<PendingRequest> members, List<InferResponse> responses, @Nullable Executor here) {
    if (members.size() == 1) {
      completeOne(members.get(0), responses.get(0), here);
      return;
    }
    List<Executor> elsewhere = new ArrayList<>(4);
    for (PendingRequest member : members) {
      Executor executor = member.deliverOn;
      if (executor != null && executor != here && !elsewhere.contains(executor)) {
        elsewhere.add(executor);
      }
    }
    for (Executor executor : elsewhere) {
      post(executor, () -> completeOn(executor, members, responses));
    }
    for (int i = 0; i < members.size(); i++) {
      PendingRequest member = members.get(i);
      if (member.deliverOn == null || member.deliverOn == here) {
        member.complete(responses.get(i));
      }
    }
  }

  private static void completeOne(PendingRequest member, InferResponse response, @Nullable Executor here) {
    Executor executor = member.deliverOn;
    if (executor == null || executor == here) {
      member.complete(response);
    } else {
      post(executor, () -> member.complete(response));
    }
  }

  private static void completeOn(Executor executor, List<PendingRequest> members, List<InferResponse> responses) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).deliverOn == executor) {
        members.get(i).complete(responses.get(i));
      }
    }
  }

  private static void post(Executor executor, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException callerGone) {
      task.run();
    }
  }
}

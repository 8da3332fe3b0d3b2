package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A batch's responses reach each caller on the executor it offered, one task per executor. */
class ResponseDeliveryTest {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final InlineExecutionTest.CallerLoop loopA = new InlineExecutionTest.CallerLoop();
  private final InlineExecutionTest.CallerLoop loopB = new InlineExecutionTest.CallerLoop();

  private PendingRequest member(String id, @Nullable Executor deliverOn) {
    return new PendingRequest(request(id, 1, 0, 0, List.of()), 1, System.nanoTime(), 0, deliverOn, inFlight);
  }

  private static List<InferResponse> responsesFor(List<PendingRequest> members) {
    List<InferResponse> responses = new ArrayList<>();
    for (PendingRequest member : members) {
      responses.add(new InferResponse("m", "1", member.request.id(), List.of(), Map.of()));
    }
    return responses;
  }

  @Test
  void eachCallersExecutorGetsOneTaskThatCompletesItsOwnMembersWithTheirOwnResponses() {
    List<PendingRequest> members =
        List.of(member("a1", loopA), member("b1", loopB), member("a2", loopA), member("none", null));

    ResponseDelivery.complete(members, responsesFor(members), null);

    assertThat(members.get(3).future).isCompletedWithValueMatching(r -> r.id().equals("none"));
    assertThat(loopA.tasks).hasSize(1);
    assertThat(loopB.tasks).hasSize(1);
    assertThat(members.subList(0, 3)).noneMatch(m -> m.future.isDone());

    loopA.runAll();
    assertThat(members.get(0).future).isCompletedWithValueMatching(r -> r.id().equals("a1"));
    assertThat(members.get(2).future).isCompletedWithValueMatching(r -> r.id().equals("a2"));
    assertThat(members.get(1).future).isNotDone();

    loopB.runAll();
    assertThat(members.get(1).future).isCompletedWithValueMatching(r -> r.id().equals("b1"));
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void membersOfTheExecutorRunningTheExecutionCompleteAtOnce() {
    List<PendingRequest> members = List.of(member("a1", loopA), member("b1", loopB), member("a2", loopA));

    ResponseDelivery.complete(members, responsesFor(members), loopA);

    assertThat(loopA.tasks).isEmpty();
    assertThat(members.get(0).future).isCompletedWithValueMatching(r -> r.id().equals("a1"));
    assertThat(members.get(2).future).isCompletedWithValueMatching(r -> r.id().equals("a2"));
    assertThat(loopB.tasks).hasSize(1);
  }

  @Test
  void aSingleMemberIsHandedToItsExecutor() {
    List<PendingRequest> members = List.of(member("a1", loopA));

    ResponseDelivery.complete(members, responsesFor(members), null);

    assertThat(members.get(0).future).isNotDone();
    loopA.runAll();
    assertThat(members.get(0).future).isCompletedWithValueMatching(r -> r.id().equals("a1"));
  }

  @Test
  void anExecutorThatNoLongerTakesTasksGetsItsResponsesCompletedHere() {
    Executor shutDown = task -> {
      throw new RejectedExecutionException("event loop: shut down");
    };
    List<PendingRequest> members = List.of(member("gone1", shutDown), member("gone2", shutDown));

    ResponseDelivery.complete(members, responsesFor(members), null);

    assertThat(members).allMatch(m -> m.future.isDone());
  }
}

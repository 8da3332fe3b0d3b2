package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One tier's outcome under one policy.
 *
 * @param tier tier name
 * @param budgetMs the tier's p99 budget; null for best effort
 * @param sent requests sent in the recorded phases
 * @param answered answered OK
 * @param withinBudget answered OK within the budget (all answered ones for best effort)
 * @param shed refused by the router with RESOURCE_EXHAUSTED
 * @param failed any other error, by status in {@code errors}
 * @param dropped not sent: the client's cap on outstanding requests was full
 * @param answersByPool answered requests per pool, from the {@code x-yardmaster-pool} header
 * @param p50Ms median latency of answered requests, from the intended arrival
 * @param p99Ms 99th percentile of the same
 * @param errors failed requests by gRPC status
 */
record TierResult(
    String tier,
    @JsonProperty("budget_ms") @Nullable Double budgetMs,
    long sent,
    long answered,
    @JsonProperty("within_budget") long withinBudget,
    long shed,
    long failed,
    long dropped,
    @JsonProperty("answers_by_pool") Map<String, Long> answersByPool,
    @JsonProperty("p50_ms") double p50Ms,
    @JsonProperty("p99_ms") double p99Ms,
    Map<String, Long> errors) {

  TierResult {
    answersByPool = Map.copyOf(answersByPool);
    errors = Map.copyOf(errors);
  }

  /** Share of answered requests that went to {@code pool}, 0..1. */
  double share(String pool) {
    return answered == 0 ? 0 : answersByPool.getOrDefault(pool, 0L) / (double) answered;
  }

  /** SLA compliance: answered within budget over all arrivals (sheds, errors and drops miss), 0..1. */
  @JsonProperty("sla_compliance")
  double compliance() {
    long arrivals = sent + dropped;
    return arrivals == 0 ? Double.NaN : withinBudget / (double) arrivals;
  }

  @JsonIgnore
  boolean bestEffort() {
    return budgetMs == null;
  }
}

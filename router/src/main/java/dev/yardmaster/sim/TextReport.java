package dev.yardmaster.sim;

import dev.yardmaster.sim.Comparison.PolicyOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison as an aligned text table plus the headline ratios. */
public final class TextReport {

  private TextReport() {}

  public static String render(Comparison comparison) {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("policy", "fleet", "$/h", "cost $", "$/1M inf"));
    List<PolicyOutcome> policies = comparison.policies();
    List<String> tierNames = new ArrayList<>();
    if (!policies.isEmpty()) {
      for (TierSummary tier : policies.get(0).tiers()) {
        tierNames.add(tier.tier());
        header.add(tier.tier() + " p50/p99 ms");
        header.add(tier.tier() + " ok %");
      }
    }
    header.add("shed");
    header.add("SLAs");
    rows.add(header.toArray(new String[0]));
    for (PolicyOutcome outcome : policies) {
      List<String> row = new ArrayList<>(List.of(outcome.policy(), fleet(outcome.fleet()),
          format("%.3f", outcome.pricePerHour()), format("%.4f", outcome.costDollars()),
          format("%.4f", outcome.costPerMillion())));
      for (TierSummary tier : outcome.tiers()) {
        row.add(format("%.1f/%.1f", tier.p50Ms(), tier.p99Ms()));
        row.add(format("%.3f", tier.compliance() * 100));
      }
      row.add(Long.toString(outcome.shed()));
      row.add(outcome.meetsTargets() ? "met" : "MISSED");
      rows.add(row.toArray(new String[0]));
    }
    Comparison.OracleOutcome oracle = comparison.oracle();
    List<String> oracleRow = new ArrayList<>(List.of("oracle (bound)",
        oracle.fleet() == null ? "none in bounds" : fleet(oracle.fleet()),
        format("%.3f", oracle.pricePerHour()), format("%.4f", oracle.costDollars()),
        format("%.4f", oracle.costPerMillion())));
    for (int i = 0; i < tierNames.size(); i++) {
      oracleRow.add("-");
      oracleRow.add("-");
    }
    oracleRow.add("-");
    oracleRow.add("bound");
    rows.add(oracleRow.toArray(new String[0]));

    List<String[]> hourlyRows = new ArrayList<>();
    List<String> hourlyHeader = new ArrayList<>(List.of("policy", "fleets/window", "mean $/h",
        "cost $", "$/1M inf"));
    hourlyHeader.addAll(header.subList(5, header.size()));
    hourlyRows.add(hourlyHeader.toArray(new String[0]));
    for (PolicyOutcome outcome : policies) {
      WindowedSearch.Outcome hourly = outcome.hourly();
      List<String> row = new ArrayList<>(List.of(outcome.policy(), windowRange(hourly),
          format("%.3f", hourly.meanPricePerHour()), format("%.4f", hourly.costDollars()),
          format("%.4f", hourly.costPerMillion())));
      for (TierSummary tier : hourly.tiers()) {
        row.add(format("%.1f/%.1f", tier.p50Ms(), tier.p99Ms()));
        row.add(format("%.3f", tier.compliance() * 100));
      }
      row.add(Long.toString(hourly.shed()));
      row.add(hourly.meetsTargets() ? "met" : "MISSED");
      hourlyRows.add(row.toArray(new String[0]));
    }
    List<String> oracleHourly = new ArrayList<>(List.of("oracle (bound)", "-",
        format("%.3f", oracle.hourlyCostDollars() * 3600 / comparison.durationSeconds()),
        format("%.4f", oracle.hourlyCostDollars()), format("%.4f", oracle.hourlyCostPerMillion())));
    while (oracleHourly.size() < hourlyHeader.size() - 1) {
      oracleHourly.add("-");
    }
    oracleHourly.add("bound");
    hourlyRows.add(oracleHourly.toArray(new String[0]));

    StringBuilder text = new StringBuilder();
    text.append(format("scenario %s, model %s, %s: %d requests, %d inferences over %.0f s "
            + "(simulated)%n%nStatic fleet (cheapest that meets the SLAs over the whole trace):%n",
        comparison.scenario(), comparison.model(), comparison.trace(), comparison.requests(),
        comparison.rows(), comparison.durationSeconds()));
    appendTable(text, rows);
    text.append(format("%nHourly fleets (cheapest per simulated hour: autoscaling with perfect "
        + "foresight):%n"));
    appendTable(text, hourlyRows);
    PolicyOutcome ours = comparison.policy("cost-aware");
    PolicyOutcome gpu = comparison.policy("gpu-only");
    text.append(System.lineSeparator());
    if (ours != null && gpu != null) {
      text.append(format("cost-aware vs gpu-only: %.1f%% cheaper on hourly fleets (autoscaled to the load), %.1f%%"
              + " cheaper on one static fleet (sized for the whole trace)%n",
          (1 - ours.hourly().costDollars() / gpu.hourly().costDollars()) * 100,
          (1 - ours.costDollars() / gpu.costDollars()) * 100));
    }
    if (ours != null) {
      text.append(format("cost-aware vs oracle: %.2fx on hourly fleets, %.2fx on one static fleet%n",
          ours.hourly().costDollars() / oracle.hourlyCostDollars(),
          ours.costDollars() / oracle.costDollars()));
    }
    TargetCheck target = TargetCheck.of(comparison);
    if (target != null) {
      text.append(target.render());
    }
    return text.toString();
  }

  private static String windowRange(WindowedSearch.Outcome hourly) {
    double low = Double.POSITIVE_INFINITY;
    double high = 0;
    String cheapest = "";
    String dearest = "";
    for (Map<String, Integer> fleet : hourly.windowFleets()) {
      int total = 0;
      for (int replicas : fleet.values()) {
        total += replicas;
      }
      if (total < low) {
        low = total;
        cheapest = fleet(fleet);
      }
      if (total > high) {
        high = total;
        dearest = fleet(fleet);
      }
    }
    return cheapest.equals(dearest) ? cheapest : cheapest + " .. " + dearest;
  }

  static String fleet(Map<String, Integer> fleet) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Integer> pool : fleet.entrySet()) {
      if (pool.getValue() > 0) {
        text.append(text.length() == 0 ? "" : " ").append(pool.getKey()).append('=').append(pool.getValue());
      }
    }
    return text.length() == 0 ? "(none)" : text.toString();
  }

  private static void appendTable(StringBuilder text, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        String cell = row[c];
        boolean left = c < 2;
        String pad = " ".repeat(widths[c] - cell.length());
        text.append(left ? cell + pad : pad + cell);
        text.append(c == columns - 1 ? System.lineSeparator() : "  ");
      }
    }
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}

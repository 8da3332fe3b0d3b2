package dev.yardmaster.profiler.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceOfflineTableTest {

  final PriceSource table = PriceSource.offlineTable();

  @Test
  void coversTheInstanceTypesYardmasterPoolsUse() {
    for (String type :
        List.of(
            "g5.xlarge",
            "g5.2xlarge",
            "g4dn.xlarge",
            "g6.xlarge",
            "inf2.xlarge",
            "inf2.8xlarge",
            "c7g.xlarge",
            "c7g.2xlarge",
            "c7i.xlarge",
            "m7g.xlarge")) {
      InstancePrice price = table.lookup(PriceRequest.of("pool", type)).price().orElseThrow();
      assertThat(price.origin()).isEqualTo(PriceOrigin.OFFLINE_TABLE);
      assertThat(price.usdPerHour()).as(type).isBetween(0.05, 5.0);
    }
  }

  @Test
  void hasTheWellKnownPricesAndADate() {
    assertThat(usd("g5.xlarge")).isEqualTo(1.006);
    assertThat(usd("inf2.xlarge")).isCloseTo(0.758, within(0.001));
    assertThat(usd("c7g.xlarge")).isCloseTo(0.145, within(0.001));
    InstancePrice g5 = table.lookup(PriceRequest.of("gpu", "g5.xlarge")).price().orElseThrow();
    assertThat(g5.asOf()).isEqualTo(LocalDate.of(2025, 6, 1));
    assertThat(((OfflinePriceTable) table).source()).contains("NOT fetched from AWS");
  }

  @Test
  void reportsUnknownTypesAndRegionsAsNotFound() {
    PriceMiss type = table.lookup(PriceRequest.of("x", "x9.huge")).miss().orElseThrow();
    assertThat(type)
        .isEqualTo(
            new PriceMiss(
                "offline-table", MissReason.NOT_FOUND, "x9.huge not in table for us-east-1"));

    PriceMiss region =
        table.lookup(new PriceRequest("x", "g5.xlarge", "eu-west-1")).miss().orElseThrow();
    assertThat(region.detail()).isEqualTo("region eu-west-1 not in table (has: us-east-1)");
  }

  @Test
  void rejectsATableWithoutDateNamingTheField() {
    String json = "{\"source\": \"test\", \"as_of\": \"June\", \"prices\": {}}";
    assertThatThrownBy(
            () ->
                PriceSource.offlineTable(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class)
        .hasMessage("offline table: as_of: 'June' (expected: YYYY-MM-DD)");
  }

  private double usd(String type) {
    return table.lookup(PriceRequest.of("pool", type)).price().orElseThrow().usdPerHour();
  }
}

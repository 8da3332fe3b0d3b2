package dev.yardmaster.profiler.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads one Price List product document (a JSON string inside GetProducts' {@code PriceList}):
 * {@code terms.OnDemand.<offer>.priceDimensions.<dimension>.pricePerUnit.USD}.
 */
final class PriceListDocuments {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PriceListDocuments() {}

  /** A document's on-demand hourly price and its publication date, when it has one. */
  record OnDemandPrice(double usdPerHour, @Nullable LocalDate publicationDate) {}

  /** The document does not have the shape the Price List API documents. */
  static final class MalformedDocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedDocumentException(String message) {
      super(message);
    }
  }

  /**
   * The highest positive on-demand USD price in {@code document}; empty when the document is for
   * another instance type or has only zero prices.
   */
  static Optional<OnDemandPrice> onDemandUsdPerHour(String document, String instanceType)
      throws MalformedDocumentException {
    JsonNode root;
    try {
      root = MAPPER.readTree(document);
    } catch (JsonProcessingException e) {
      throw new MalformedDocumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedDocumentException("document: not an object (expected: a JSON object)");
    }
    String documentType = root.path("product").path("attributes").path("instanceType").asText("");
    if (!documentType.isEmpty() && !documentType.equals(instanceType)) {
      return Optional.empty();
    }
    JsonNode onDemand = root.path("terms").path("OnDemand");
    if (!onDemand.isObject() || onDemand.isEmpty()) {
      throw new MalformedDocumentException(
          "terms.OnDemand: " + describe(onDemand) + " (expected: an object of offers)");
    }
    double best = 0;
    for (Iterator<String> offers = onDemand.fieldNames(); offers.hasNext(); ) {
      String offer = offers.next();
      JsonNode dimensions = onDemand.path(offer).path("priceDimensions");
      if (!dimensions.isObject() || dimensions.isEmpty()) {
        throw new MalformedDocumentException(
            "terms.OnDemand."
                + offer
                + ".priceDimensions: "
                + describe(dimensions)
                + " (expected: an object of price dimensions)");
      }
      for (Iterator<String> names = dimensions.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        JsonNode usd = dimensions.path(name).path("pricePerUnit").path("USD");
        String field = "terms.OnDemand." + offer + ".priceDimensions." + name + ".pricePerUnit.USD";
        double value;
        try {
          value = Double.parseDouble(usd.asText(""));
        } catch (NumberFormatException e) {
          throw new MalformedDocumentException(
              field + ": " + describe(usd) + " (expected: a decimal string like \"1.0060000000\")");
        }
        if (!Double.isFinite(value) || value < 0) {
          throw new MalformedDocumentException(field + ": " + value + " (expected: >= 0)");
        }
        best = Math.max(best, value);
      }
    }
    if (best == 0) {
      return Optional.empty();
    }
    return Optional.of(new OnDemandPrice(best, publicationDate(root)));
  }

  private static @Nullable LocalDate publicationDate(JsonNode root) {
    String text = root.path("publicationDate").asText("");
    if (text.length() < 10) {
      return null;
    }
    try {
      return LocalDate.parse(text.substring(0, 10));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String describe(JsonNode node) {
    return node.isMissingNode() ? "missing" : node.toString();
  }
}

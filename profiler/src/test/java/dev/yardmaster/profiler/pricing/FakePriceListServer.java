package dev.yardmaster.profiler.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A local AWS Price List endpoint speaking AWS JSON 1.1 ({@code X-Amz-Target:
 * AWSPriceListService.GetProducts}) on 127.0.0.1, port 0. Answers come from a script, then a
 * fallback; every request is recorded.
 */
final class FakePriceListServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the SDK sent it. */
  record Recorded(
      String method,
      String path,
      String target,
      String contentType,
      String authorization,
      JsonNode body) {}

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Recorded> requests = new ArrayList<>();
  private Answer fallback = new Answer(500, error("InternalErrorException", "no answer scripted"));

  private FakePriceListServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static FakePriceListServer start() throws IOException {
    return new FakePriceListServer();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next request with {@code status} and {@code body}. */
  synchronized FakePriceListServer then(int status, String body) {
    script.addLast(new Answer(status, body));
    return this;
  }

  /** Answers every request after the script with {@code status} and {@code body}. */
  synchronized FakePriceListServer always(int status, String body) {
    fallback = new Answer(status, body);
    return this;
  }

  synchronized List<Recorded> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode body = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    Answer answer;
    synchronized (this) {
      requests.add(
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              header(exchange, "X-Amz-Target"),
              header(exchange, "Content-Type"),
              header(exchange, "Authorization"),
              body));
      answer = script.isEmpty() ? fallback : script.removeFirst();
    }
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "req-" + requests().size());
    exchange.sendResponseHeaders(answer.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  private static String header(HttpExchange exchange, String name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? "" : value;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- response bodies ----

  /** A GetProducts page: {@code {"PriceList": [docs as strings], "FormatVersion", "NextToken"}}. */
  static String page(List<String> documents, @Nullable String nextToken) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("PriceList");
    documents.forEach(list::add);
    root.put("FormatVersion", "aws_v1");
    if (nextToken != null) {
      root.put("NextToken", nextToken);
    }
    return root.toString();
  }

  static String error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("message", message).toString();
  }

  static String throttling() {
    return error("ThrottlingException", "Rate exceeded");
  }

  /** A product document shaped like the real Price List API's aws_v1 documents. */
  static String productDocument(String instanceType, String regionCode, String usd) {
    String sku = "SKU" + Math.abs(instanceType.hashCode());
    ObjectNode root = JSON.createObjectNode();
    ObjectNode product = root.putObject("product");
    product.put("productFamily", "Compute Instance");
    product.put("sku", sku);
    product
        .putObject("attributes")
        .put("instanceType", instanceType)
        .put("regionCode", regionCode)
        .put("operatingSystem", "Linux")
        .put("tenancy", "Shared")
        .put("preInstalledSw", "NA")
        .put("capacitystatus", "Used")
        .put("usagetype", "BoxUsage:" + instanceType);
    root.put("serviceCode", "AmazonEC2");
    ObjectNode offer = root.putObject("terms").putObject("OnDemand").putObject(sku + ".JRTCKXETXF");
    offer.put("offerTermCode", "JRTCKXETXF");
    offer.put("sku", sku);
    offer.put("effectiveDate", "2025-11-01T00:00:00Z");
    ObjectNode dimension =
        offer.putObject("priceDimensions").putObject(sku + ".JRTCKXETXF.6YS6EN2CT7");
    dimension.put("unit", "Hrs");
    dimension.put(
        "description", "$" + usd + " per On Demand Linux " + instanceType + " Instance Hour");
    dimension.putObject("pricePerUnit").put("USD", usd);
    offer.putObject("termAttributes");
    root.put("version", "20251120000000");
    root.put("publicationDate", "2025-11-20T18:32:11Z");
    return root.toString();
  }
}

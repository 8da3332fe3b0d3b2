package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.JSON;
import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RepositoryServers;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input loses nothing, tried at random: valid inference bodies (JSON, binary tensor data, raw
 * binary, BYTES) to real ONNX Runtime models, cut short, with bytes overwritten or JSON tokens
 * inserted, and with wrong {@code Inference-Header-Content-Length} values. Every answer is a success
 * or a client error with a JSON {@code error} message (never a 5xx), and the server answers a valid
 * request after them. Seeded, so a failure repeats.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutatedInferBodiesTest {

  private static final long SEED = 20261207L;
  private static final int REQUESTS = 600;
  private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 404, 413);
  private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ",", ":", "-1", "0", "1e999", "null", "true",
      "\"FP32\"", "\"BYTES\"", "\"INT64\"", "99999999999999999999", "\"shape\":", "\"data\":", "\\u0000", " "};
  private static final String HIGGS = DemoModels.HIGGS_MLP_V1;
  private static final String HEADER_LENGTH = BinaryTensorDataHttpTest.HEADER_LENGTH;

  @TempDir static Path repository;
  static YardmasterServer server;
  static LocalHttp http;

  @BeforeAll
  static void start() throws Exception {
    server = RepositoryServers.serveDemoAndIdentityModels(repository);
    http = new LocalHttp(server.httpPort());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  /** A valid request: the model it is for, its body, and its header length (null: none). */
  private record Seed(String model, byte[] body, String headerLength) {}

  @Test
  void mutatedBodiesGetAClientErrorNamingAProblemAndTheServerKeepsServing() throws Exception {
    List<Seed> seeds = seeds();
    for (Seed seed : seeds) {
      assertThat(send(seed.model(), seed.body(), seed.headerLength()).statusCode()).as("seed for %s", seed.model())
          .isEqualTo(200);
    }
    Random random = new Random(SEED);
    TreeMap<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      Seed seed = seeds.get(random.nextInt(seeds.size()));
      byte[] body = mutate(seed.body(), random);
      String headerLength = headerLength(seed, body, random);

      HttpResponse<byte[]> answer = send(seed.model(), body, headerLength);

      statuses.merge(answer.statusCode(), 1, Integer::sum);
      String what = "request " + i + " to " + seed.model() + " with header length " + headerLength + ": "
          + new String(body, StandardCharsets.ISO_8859_1);
      if (answer.statusCode() != 200) {
        assertThat(answer.statusCode()).as(what).isIn(CLIENT_ERRORS);
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error).as(what).isNotNull();
        assertThat(error.asText()).as(what).isNotBlank();
      }
    }
    assertThat(statuses.keySet()).as("mutations mostly refused: %s", statuses).contains(400);
    Seed valid = seeds.get(0);
    assertThat(send(valid.model(), valid.body(), valid.headerLength()).statusCode()).as("served after")
        .isEqualTo(200);
  }

  private static List<Seed> seeds() throws Exception {
    String higgsInput = DemoModels.mlp(HIGGS).inputName();
    float[] row = new float[DemoModels.HIGGS_FEATURES];
    List<Seed> seeds = new ArrayList<>();
    seeds.add(new Seed(HIGGS, ("{\"id\":\"a\",\"inputs\":[{\"name\":\"" + higgsInput + "\",\"shape\":[1,28],"
        + "\"datatype\":\"FP32\",\"data\":" + JSON.writeValueAsString(row) + "}]}").getBytes(StandardCharsets.UTF_8),
        null));
    BinaryInferBody binary = new BinaryInferBody()
        .binaryInput(higgsInput, "FP32", new long[] {2, 28}, floats(new float[56]))
        .output(DemoModels.mlp(HIGGS).outputName(), true);
    seeds.add(new Seed(HIGGS, binary.body(), Integer.toString(binary.json().length)));
    seeds.add(new Seed(HIGGS, floats(row), "0"));
    String bytesModel = DemoModels.identityModelName(dev.yardmaster.protocol.DataType.BYTES);
    seeds.add(new Seed(bytesModel, ("{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,2],\"datatype\":\"BYTES\","
        + "\"data\":[\"yard\",\"master\"]}],\"outputs\":[{\"name\":\"OUTPUT0\"}]}").getBytes(StandardCharsets.UTF_8),
        null));
    return seeds;
  }

  /** One to three of: cut short, bytes overwritten, a JSON token inserted. */
  private static byte[] mutate(byte[] body, Random random) {
    byte[] mutated = body;
    for (int n = 1 + random.nextInt(3); n > 0 && mutated.length > 0; n--) {
      int at = random.nextInt(mutated.length);
      switch (random.nextInt(3)) {
        case 0 -> mutated = java.util.Arrays.copyOf(mutated, at);
        case 1 -> {
          mutated = mutated.clone();
          for (int i = at; i < Math.min(mutated.length, at + 1 + random.nextInt(4)); i++) {
            mutated[i] = (byte) random.nextInt(256);
          }
        }
        default -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(mutated, 0, at);
          out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
          out.write(mutated, at, mutated.length - at);
          mutated = out.toByteArray();
        }
      }
    }
    return mutated;
  }

  /** Mostly the seed's own header, sometimes a wrong one: off by a little, 0, negative, or not a number. */
  private static String headerLength(Seed seed, byte[] body, Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> Integer.toString(random.nextInt(body.length + 10) - 5);
      case 1 -> "0";
      case 2 -> "twelve";
      default -> seed.headerLength();
    };
  }

  private static HttpResponse<byte[]> send(String model, byte[] body, String headerLength) throws Exception {
    return headerLength == null
        ? http.post("/v2/models/" + model + "/infer", body, "Content-Type", "application/json")
        : http.post("/v2/models/" + model + "/infer", body, HEADER_LENGTH, headerLength,
            "Content-Type", "application/octet-stream");
  }
}

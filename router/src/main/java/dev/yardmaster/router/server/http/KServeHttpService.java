package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.server.AdmittedInference;
import dev.yardmaster.router.server.LoadParameterReader;
import dev.yardmaster.router.server.ModelProtos;
import dev.yardmaster.router.server.ServingCore;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The KServe v2 HTTP/JSON protocol: health, server and model metadata, readiness, config,
 * statistics, inference (with Triton's binary tensor data extension, its raw binary requests and
 * gzip/deflate bodies), and the repository extension. Errors are {@code {"error": "..."}} with the
 * HTTP code of the failure's status.
 */
public final class KServeHttpService {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int EVENT_LOOP_DECODE_LIMIT_BYTES = 64 * 1024;

  private final ServingCore core;
  private final ModelManager manager;
  private final AdmittedInference inference;

  private KServeHttpService(ServingCore core, AdmittedInference inference) {
    this.core = core;
    this.manager = core.manager();
    this.inference = inference;
  }

  /** Binds every endpoint to the server being built. */
  public static void bind(ServerBuilder server, ServingCore core, AdmittedInference inference) {
    new KServeHttpService(core, inference).bindTo(server);
  }

  private void bindTo(ServerBuilder server) {
    server.errorHandler(new JsonErrorHandler());
    server.route().get("/v2/health/live").build(status(core::live));
    server.route().get("/v2/health/ready").build(status(core::ready));
    server.route().get("/v2").build((ctx, req) -> json(() -> JsonWriter.serverMetadata(ModelProtos.serverMetadata())));

    // all models' statistics, as Triton; the exact path wins over /v2/models/{model}
    server.route().get("/v2/models/stats").build((ctx, req) -> json(() ->
        JsonWriter.statistics(ModelProtos.statistics(manager, "", ""))));
    HttpService infer = ((HttpService) this::infer).decorate(CompressedBody.decoder());
    for (String base : new String[] {"/v2/models/{model}", "/v2/models/{model}/versions/{version}"}) {
      // as Triton's path pattern, only a version of digits names a version
      Function<HttpService, HttpService> versioned = base.contains("{version}")
          ? KServeHttpService::numericVersion : Function.identity();
      server.route().get(base).build(versioned.apply((ctx, req) -> json(() ->
          JsonWriter.modelMetadata(ModelProtos.modelMetadata(manager, model(ctx), version(ctx))))));
      server.route().get(base + "/ready").build(versioned.apply((ctx, req) -> modelReady(ctx)));
      server.route().get(base + "/config").build(versioned.apply((ctx, req) ->
          json(() -> config(model(ctx), version(ctx)))));
      server.route().get(base + "/stats").build(versioned.apply((ctx, req) -> json(() ->
          JsonWriter.statistics(ModelProtos.statistics(manager, model(ctx), version(ctx))))));
      server.route().post(base + "/infer").build(versioned.apply(infer));
    }

    server.route().post("/v2/repository/index").build((ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(body -> json(() ->
            JsonWriter.index(ModelProtos.index(manager, readyOnly(body)))))));
    server.route().post("/v2/repository/models/{model}/load").build((ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(body -> blocking(ctx, () ->
            manager.load(model(ctx), LoadParameterReader.fromHttp(body.content().array()))))));
    server.route().post("/v2/repository/models/{model}/unload").build((ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(body -> blocking(ctx, () -> {
          checkUnloadBody(body);
          manager.unload(model(ctx));
        }))));
  }

  private HttpResponse infer(ServiceRequestContext ctx, HttpRequest req) {
    long arrivalNanos = System.nanoTime();
    String model = model(ctx);
    String version = version(ctx);
    AdmittedRequest admitted;
    try {
      admitted = inference.admit(ctx, model, arrivalNanos);
    } catch (InferenceException refused) {
      return error(refused);
    }
    String headerLength = req.headers().get(BinaryTensorData.HEADER_LENGTH_HEADER);
    String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    ResponseCompression.Encoding responseEncoding =
        ResponseCompression.negotiate(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    CompletableFuture<HttpResponse> response = req.aggregate().thenCompose(body -> {
      Supplier<DecodedInfer> decode = () -> {
        // the model first, as Triton's TRITONSERVER_InferenceRequestNew: an unknown or unready model
        // or version is the answer whatever the body holds
        ModelSpec spec = manager.resolve(model, version).spec();
        CompressedBody.checkDecoded(ctx, contentEncoding);
        byte[] bytes = body.content().array();
        return RawBinaryRequest.marks(headerLength)
            ? RawBinaryRequest.decode(spec, version, bytes, arrivalNanos)
            : JsonRequestDecoder.decode(model, version, bytes, headerLength, arrivalNanos);
      };
      // parsing a large JSON body takes milliseconds: keep it off the event loop
      CompletableFuture<DecodedInfer> request;
      if (jsonBytes(headerLength, body.content().length()) > EVENT_LOOP_DECODE_LIMIT_BYTES) {
        request = CompletableFuture.supplyAsync(decode, ctx.blockingTaskExecutor());
      } else {
        try {
          request = CompletableFuture.completedFuture(decode.get());
        } catch (RuntimeException undecodable) {
          request = CompletableFuture.failedFuture(undecodable);
        }
      }
      return request.handle((decoded, undecodable) -> undecodable == null
              ? inference.infer(ctx, admitted, decoded.request())
                  .thenApply(result -> inferResponse(InferResponseWriter.write(
                      core.classify(result, decoded.classification()), decoded.outputFormat()), responseEncoding))
              : inference.<HttpResponse>refuse(admitted, model, undecodable))
          .thenCompose(result -> result);
    }).exceptionally(failure -> {
      HttpResponse bodyFailure = CompressedBody.bodyFailure(ctx, failure);
      return bodyFailure != null ? bodyFailure : error(failure);
    });
    return HttpResponse.of(response);
  }

  /** The JSON share of a body: binary tensor data needs no parsing. */
  private static int jsonBytes(@Nullable String headerLength, int bodyLength) {
    try {
      return headerLength == null ? bodyLength : Math.min(bodyLength, Integer.parseInt(headerLength.trim()));
    } catch (NumberFormatException malformed) {
      return 0; // rejected while decoding
    }
  }

  /**
   * A successful answer, compressed as the client's {@code Accept-Encoding} asks whatever its size, as
   * Triton's. Errors never are: tritonclient reads error bodies without decompressing them, and
   * Triton compresses only inference responses.
   */
  private static HttpResponse inferResponse(InferResponseWriter.Body body, ResponseCompression.Encoding encoding) {
    ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK);
    if (body.binary()) {
      headers.contentType(MediaType.OCTET_STREAM)
          .add(BinaryTensorData.HEADER_LENGTH_HEADER, Integer.toString(body.jsonLength()));
    } else {
      headers.contentType(MediaType.JSON_UTF_8);
    }
    byte[] bytes = body.bytes();
    String contentEncoding = encoding.headerValue();
    if (contentEncoding != null) {
      bytes = ResponseCompression.compress(encoding, bytes);
      headers.add(HttpHeaderNames.CONTENT_ENCODING, contentEncoding);
    }
    return HttpResponse.of(headers.build(), HttpData.wrap(bytes));
  }

  private byte[] config(String model, String version) {
    return ProtoJson.toJson(manager.resolve(model, version).spec().config());
  }

  private static boolean readyOnly(AggregatedHttpRequest body) {
    if (body.content().isEmpty()) {
      return false;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body.content().array());
    } catch (IOException malformed) {
      throw InferenceException.invalidArgument("request body: malformed JSON (expected: {\"ready\": true|false})");
    }
    return node != null && node.path("ready").asBoolean(false);
  }

  /**
   * As Triton's {@code HandleRepositoryControl}, an unload body, when there is one, is JSON whose
   * {@code parameters.unload_dependents} is a bool if given (there are no dependents to unload here).
   */
  private static void checkUnloadBody(AggregatedHttpRequest body) {
    if (body.content().isEmpty()) {
      return;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body.content().array());
    } catch (IOException malformed) {
      throw InferenceException.invalidArgument("request body: malformed JSON (expected: {\"parameters\": "
          + "{\"unload_dependents\": true|false}}, or no body)");
    }
    JsonNode dependents = node == null ? null : node.path("parameters").path("unload_dependents");
    if (dependents != null && !dependents.isMissingNode() && !dependents.isBoolean()) {
      throw InferenceException.invalidArgument("request body parameters.unload_dependents: %s (expected: true or "
          + "false)", dependents);
    }
  }

  /**
   * 200 with no body when the model (version) is ready; otherwise 400 with the error body, as
   * Triton's {@code HandleModelReady} (unknown models and versions are not ready either).
   */
  private HttpResponse modelReady(ServiceRequestContext ctx) {
    String model = model(ctx);
    String version = version(ctx);
    if (manager.isReady(model, version)) {
      return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "");
    }
    return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON_UTF_8,
        JsonWriter.error(notReadyMessage(model, version)));
  }

  /**
   * Why a model is not ready: the reason the manager gives for a model it knows but cannot serve
   * (a version that failed to load, say, naming its missing model file), else what was expected.
   */
  private String notReadyMessage(String model, String version) {
    try {
      manager.resolve(model, version);
    } catch (InferenceException e) {
      if (e.status() == InferenceException.Status.UNAVAILABLE
          || e.getMessage().contains(ModelManager.NO_AVAILABLE_VERSIONS)) {
        return e.getMessage();
      }
    }
    return version.isEmpty()
        ? String.format("model '%s': not ready (expected: a loaded model with a ready version)", model)
        : String.format("model '%s' version %s: not ready (expected: a loaded model version)", model, version);
  }

  /** The service for paths whose version is digits; any other version is no endpoint (404). */
  private static HttpService numericVersion(HttpService service) {
    return (ctx, req) -> {
      String version = version(ctx);
      if (!version.isEmpty() && version.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return service.serve(ctx, req);
      }
      return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8, JsonWriter.error(String.format(
          "%s %s: no such endpoint (expected: a version of digits, e.g. /v2/models/{model}/versions/1)",
          req.method(), req.path())));
    };
  }

  private static HttpService status(BooleanSupplier check) {
    return (ctx, req) -> {
      try {
        return HttpResponse.of(check.getAsBoolean() ? HttpStatus.OK : HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, "");
      } catch (RuntimeException failure) {
        return error(failure);
      }
    };
  }

  private static HttpResponse json(Supplier<byte[]> body) {
    try {
      return ok(body.get());
    } catch (RuntimeException failure) {
      return error(failure);
    }
  }

  private static HttpResponse blocking(ServiceRequestContext ctx, Runnable action) {
    return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
      action.run();
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{}");
    }, ctx.blockingTaskExecutor()).exceptionally(KServeHttpService::error));
  }

  private static HttpResponse ok(byte[] json) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json);
  }

  /**
   * The failure as {@code {"error": "..."}} with its status's HTTP code, or the more precise one an
   * {@link HttpStatusException} cause gives (415 for an unknown Content-Encoding, within 400's INVALID_ARGUMENT).
   */
  static HttpResponse error(Throwable failure) {
    InferenceException inference = InferenceException.from(failure);
    HttpStatus status = inference.getCause() instanceof HttpStatusException precise
        ? precise.httpStatus() : HttpStatus.valueOf(inference.status().httpStatus());
    return HttpResponse.of(status, MediaType.JSON_UTF_8, JsonWriter.error(inference.getMessage()));
  }

  private static String model(ServiceRequestContext ctx) {
    return Objects.requireNonNull(ctx.pathParam("model"), "model");
  }

  private static String version(ServiceRequestContext ctx) {
    String version = ctx.pathParam("version");
    return version == null ? "" : version;
  }
}

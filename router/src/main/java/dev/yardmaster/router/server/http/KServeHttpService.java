package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.server.AdmittedInference;
import dev.yardmaster.router.server.ModelProtos;
import dev.yardmaster.router.server.ServingCore;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The KServe v2 HTTP/JSON protocol: health, server and model metadata, readiness, config,
 * statistics, inference, and the repository extension. Errors are {@code {"error": "..."}} with
 * the HTTP code of the failure's status.
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
    for (String base : new String[] {"/v2/models/{model}", "/v2/models/{model}/versions/{version}"}) {
      server.route().get(base).build((ctx, req) -> json(() ->
          JsonWriter.modelMetadata(ModelProtos.modelMetadata(manager, model(ctx), version(ctx)))));
      server.route().get(base + "/ready").build((ctx, req) ->
          status(() -> manager.isReady(model(ctx), version(ctx))).serve(ctx, req));
      server.route().get(base + "/config").build((ctx, req) -> json(() -> config(model(ctx), version(ctx))));
      server.route().get(base + "/stats").build((ctx, req) -> json(() ->
          JsonWriter.statistics(ModelProtos.statistics(manager, model(ctx), version(ctx)))));
      server.route().post(base + "/infer").build(this::infer);
    }

    server.route().post("/v2/repository/index").build((ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(body -> json(() ->
            JsonWriter.index(ModelProtos.index(manager, readyOnly(body)))))));
    server.route().post("/v2/repository/models/{model}/load").build((ctx, req) ->
        blocking(ctx, () -> manager.load(model(ctx))));
    server.route().post("/v2/repository/models/{model}/unload").build((ctx, req) ->
        blocking(ctx, () -> manager.unload(model(ctx))));
  }

  private HttpResponse infer(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
    long arrivalNanos = System.nanoTime();
    String model = model(ctx);
    String version = version(ctx);
    AdmittedRequest admitted;
    try {
      admitted = inference.admit(ctx, model, arrivalNanos);
    } catch (InferenceException refused) {
      return error(refused);
    }
    CompletableFuture<HttpResponse> response = req.aggregate().thenCompose(body -> {
      Supplier<InferRequest> decode =
          () -> JsonRequestDecoder.decode(model, version, body.content().toInputStream(), arrivalNanos);
      // parsing a large JSON body takes milliseconds: keep it off the event loop
      CompletableFuture<InferRequest> request;
      if (body.content().length() > EVENT_LOOP_DECODE_LIMIT_BYTES) {
        request = CompletableFuture.supplyAsync(decode, ctx.blockingTaskExecutor());
      } else {
        try {
          request = CompletableFuture.completedFuture(decode.get());
        } catch (RuntimeException undecodable) {
          request = CompletableFuture.failedFuture(undecodable);
        }
      }
      return request.handle((decoded, undecodable) -> undecodable == null
              ? inference.infer(ctx, admitted, decoded)
              : inference.<InferResponse>refuse(admitted, model, undecodable))
          .thenCompose(result -> result)
          .thenApply(result -> ok(JsonWriter.inferResponse(result)));
    }).exceptionally(KServeHttpService::error);
    return HttpResponse.of(response);
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

  /** The failure as {@code {"error": "..."}} with its status's HTTP code. */
  static HttpResponse error(Throwable failure) {
    InferenceException inference = InferenceException.from(failure);
    return HttpResponse.of(HttpStatus.valueOf(inference.status().httpStatus()), MediaType.JSON_UTF_8,
        JsonWriter.error(inference.getMessage()));
  }

  private static String model(ServiceRequestContext ctx) {
    return Objects.requireNonNull(ctx.pathParam("model"), "model");
  }

  private static String version(ServiceRequestContext ctx) {
    String version = ctx.pathParam("version");
    return version == null ? "" : version;
  }
}

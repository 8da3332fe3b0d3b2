package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.yardmaster.protocol.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether ONNX Runtime's CUDA execution provider runs on this host, found once per process by
 * opening a session on a one-node model with it: Triton's "are there GPUs" for {@code KIND_AUTO}
 * and {@code KIND_GPU}.
 *
 * <p>Listing the provider is not enough: the GPU build ({@code mvn -Pgpu}) lists it on every host,
 * and then fails to load its CUDA libraries where CUDA and cuDNN are missing, or to pick a device
 * where there is no GPU. Such a host serves on the CPU, as one with the CPU build does.
 */
public final class CudaProbe {

  private static final Logger log = LoggerFactory.getLogger(CudaProbe.class);

  /**
   * What the probe found.
   *
   * @param available whether a session on the CUDA execution provider opened
   * @param reason why not, for error messages; "" when available
   */
  public record Result(boolean available, String reason) {

    static Result unavailable(String reason) {
      return new Result(false, reason);
    }
  }

  private CudaProbe() {}

  private static final class Once {
    static final Result RESULT = probeAndLog();
  }

  /** The probe's result for this process, probing on first use. */
  public static Result result() {
    return Once.RESULT;
  }

  private static Result probeAndLog() {
    Result result = probe();
    if (result.available()) {
      log.info("ONNX Runtime: the CUDA execution provider runs here (KIND_GPU and KIND_AUTO instance groups use it)");
    } else if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      log.warn("ONNX Runtime: {}; serving on the CPU", result.reason());
    }
    return result;
  }

  /** Opens and closes a session on an FP32 identity model with the CUDA execution provider. */
  static Result probe() {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return Result.unavailable("this ONNX Runtime build has no CUDA execution provider (the GPU build is"
          + " mvn -Pgpu package)");
    }
    byte[] model = DemoModels.model(DemoModels.identityModelName(DataType.FP32)).toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(0);
      env.createSession(model, options).close();
      return new Result(true, "");
    } catch (OrtException | RuntimeException | LinkageError e) {
      return Result.unavailable("the CUDA execution provider did not start (it needs CUDA 12, cuDNN 9 and a GPU): "
          + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}

package dev.yardmaster.router.local;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.MlpSpec;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A repository with only the small demo MLP (quick to load), and requests and answers for it. */
public final class HiggsRepository {
  public static final String MODEL = DemoModels.HIGGS_MLP_V1;
  public static final MlpSpec MLP = DemoModels.mlp(MODEL);

  private HiggsRepository() {}

  public static Path write(Path repository) throws IOException {
    Path modelDir = repository.resolve(MODEL);
    OnnxGraphBuilder.write(DemoModels.model(MODEL), modelDir.resolve("1").resolve("model.onnx"));
    Files.writeString(modelDir.resolve("config.pbtxt"),
        TextFormat.printer().printToString(DemoModels.config(MODEL, true)), StandardCharsets.UTF_8);
    return repository;
  }

  /** {@code rows} rows of 28 features, seeded by row index. */
  public static float[] features(int rows) {
    float[] values = new float[rows * MLP.inputWidth()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i * 0.37) * 2;
    }
    return values;
  }

  public static ModelInferRequest request(float[] features, int rows) {
    ByteBuffer raw = ByteBuffer.allocate(features.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(features);
    return ModelInferRequest.newBuilder().setModelName(MODEL)
        .addInputs(InferInputTensor.newBuilder().setName(MLP.inputName()).setDatatype("FP32")
            .addShape(rows).addShape(MLP.inputWidth()))
        .addRawInputContents(ByteString.copyFrom(raw.array()))
        .build();
  }

  public static float[] outputs(ModelInferResponse response) {
    ByteBuffer raw = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[raw.remaining() / 4];
    raw.asFloatBuffer().get(values);
    return values;
  }
}

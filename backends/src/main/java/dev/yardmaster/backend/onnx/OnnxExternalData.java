package dev.yardmaster.backend.onnx;

import dev.yardmaster.onnx.proto.GraphProto;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.StringStringEntryProto;
import dev.yardmaster.onnx.proto.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an ONNX model with its weights in an external data file, as ONNX's
 * {@code save_model(..., save_as_external_data=True, all_tensors_to_one_file=True)}: every
 * initializer's {@code raw_data} moves to one file beside the model, and the tensor keeps
 * {@code data_location: EXTERNAL} with {@code location}, {@code offset} and {@code length}. ONNX
 * Runtime reads the file relative to the model file's directory, so a session must be created from
 * the model's path, not its bytes.
 */
public final class OnnxExternalData {

  private OnnxExternalData() {}

  /**
   * Writes {@code model} to {@code modelFile} and its initializers' data to {@code location}, a
   * file name relative to {@code modelFile}'s directory; creates parent directories.
   */
  public static void write(ModelProto model, Path modelFile, String location) throws IOException {
    Path directory = modelFile.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    GraphProto.Builder graph = model.getGraph().toBuilder();
    long offset = 0;
    try (OutputStream data = Files.newOutputStream(directory.resolve(location))) {
      for (TensorProto.Builder tensor : graph.getInitializerBuilderList()) {
        if (tensor.getRawData().isEmpty()) {
          continue; // typed fields (float_data, ...) stay in the model, as ONNX's writer leaves them
        }
        long length = tensor.getRawData().size();
        tensor.getRawData().writeTo(data);
        tensor.clearRawData()
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(entry("location", location))
            .addExternalData(entry("offset", Long.toString(offset)))
            .addExternalData(entry("length", Long.toString(length)));
        offset += length;
      }
    }
    OnnxGraphBuilder.write(model.toBuilder().setGraph(graph).build(), modelFile);
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}

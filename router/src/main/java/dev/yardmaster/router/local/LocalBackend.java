package dev.yardmaster.router.local;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What to start as one local backend process.
 *
 * @param name label for logs and errors, e.g. {@code gpu-a10g-0}
 * @param repository the Triton-layout model repository it serves
 * @param emulate the {@code --emulate} argument (a built-in profile name or a profile file), or
 *     null for plain ONNX Runtime on CPU
 * @param jvmOptions options for the child JVM, e.g. {@code -Xmx256m}
 */
public record LocalBackend(String name, Path repository, @Nullable String emulate, List<String> jvmOptions) {

  /** Small heap and the serial collector: several of these share a few cores with their router. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

  public LocalBackend {
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '' (expected: a label such as cpu-0)");
    }
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** ONNX Runtime on CPU. */
  public static LocalBackend cpu(String name, Path repository) {
    return new LocalBackend(name, repository, null, DEFAULT_JVM_OPTIONS);
  }

  /** An emulated accelerator, e.g. {@code emulated("gpu-0", repo, "gpu-a10g")}. */
  public static LocalBackend emulated(String name, Path repository, String profile) {
    return new LocalBackend(name, repository, profile, DEFAULT_JVM_OPTIONS);
  }
}

package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

  @Test
  void helpListsThePortsWithTritonDefaults() {
    CommandLine command = Main.commandLine();
    StringWriter out = new StringWriter();
    command.setOut(new PrintWriter(out));
    assertThat(command.execute("serve", "--help")).isEqualTo(Main.EXIT_OK);
    assertThat(out.toString()).contains("--model-repository", "--http-port", "default: 8000",
        "--grpc-port", "default: 8001", "--metrics-port", "default: 8002");
  }

  @Test
  void missingRepositoryIsAUsageError() {
    CommandLine command = Main.commandLine();
    command.setErr(new PrintWriter(new StringWriter()));
    assertThat(command.execute("serve", "--model-repository", "/does/not/exist")).isEqualTo(Main.EXIT_USAGE);
    assertThat(command.execute("serve")).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void repositoryManagerIsTheOneUnwiredPlace(@TempDir Path repository) {
    CommandLine command = Main.commandLine();
    StringWriter err = new StringWriter();
    command.setErr(new PrintWriter(err));
    assertThat(command.execute("serve", "--model-repository", repository.toString(), "--http-port", "0",
        "--grpc-port", "0", "--metrics-port", "0")).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString()).contains("RepositoryModelManager is not wired yet");
  }
}

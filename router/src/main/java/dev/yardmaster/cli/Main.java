package dev.yardmaster.cli;

import dev.yardmaster.router.server.NettyLeakDetection;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code yardmaster} command. */
@Command(
    name = "yardmaster",
    mixinStandardHelpOptions = true,
    version = "yardmaster 0.1.0",
    description = "Multi-accelerator, cost-aware inference router (KServe v2 / Triton compatible).",
    subcommands = {ServeCommand.class, ModelsCommand.class, DemoCommand.class, BenchCommand.class, SoakCommand.class,
        ProfileCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  /** Exit codes shared by every command. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    NettyLeakDetection.offUnlessConfigured();
    System.exit(commandLine().execute(args));
  }

  /** The command tree, for tests that run commands in process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }
}

package dev.yardmaster.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code yardmaster} command line in this JVM ({@link Main#commandLine()}), with what
 * it wrote to picocli's out (data) and err (messages) captured.
 *
 * @param exit the exit code ({@link Main#EXIT_OK}, {@link Main#EXIT_USAGE}, ...)
 * @param out everything written to stdout
 * @param err everything written to stderr
 */
record CliRun(int exit, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exit = Main.commandLine().setOut(outWriter).setErr(errWriter).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new CliRun(exit, out.toString(), err.toString());
  }
}

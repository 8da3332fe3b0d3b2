package dev.yardmaster.sim;

/** A trace CSV the simulator cannot read; the message names the source, line and column. */
public final class TraceFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  TraceFormatException(String source, int line, int column, String problem) {
    super(source + " line " + line + (column > 0 ? ", column " + column : "") + ": " + problem);
    this.line = line;
    this.column = column;
  }

  /** 1-based line of the problem. */
  public int line() {
    return line;
  }

  /** 1-based column (CSV field) of the problem, 0 for the whole line. */
  public int column() {
    return column;
  }
}

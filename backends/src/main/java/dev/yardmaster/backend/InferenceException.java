package dev.yardmaster.backend;

import com.google.errorprone.annotations.FormatMethod;

/**
 * An inference failure with a status that maps to one gRPC status and one HTTP code. Messages
 * name the problem: the model, tensor or field, the value seen and what was expected.
 */
public final class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Failure kinds; each maps to a gRPC status and an HTTP status. */
  public enum Status {
    INVALID_ARGUMENT(400),
    NOT_FOUND(404),
    UNAVAILABLE(503),
    RESOURCE_EXHAUSTED(429),
    DEADLINE_EXCEEDED(504),
    UNIMPLEMENTED(501),
    INTERNAL(500),
    /** The caller went away (cancelled, disconnected or past its deadline) before execution: 499, nginx's "client closed request". */
    CANCELLED(499);

    private final int httpStatus;

    Status(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Status status;

  public InferenceException(Status status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public InferenceException(Status status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  @FormatMethod
  public static InferenceException invalidArgument(String format, Object... args) {
    return new InferenceException(Status.INVALID_ARGUMENT, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException notFound(String format, Object... args) {
    return new InferenceException(Status.NOT_FOUND, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException unavailable(String format, Object... args) {
    return new InferenceException(Status.UNAVAILABLE, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException resourceExhausted(String format, Object... args) {
    return new InferenceException(Status.RESOURCE_EXHAUSTED, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException deadlineExceeded(String format, Object... args) {
    return new InferenceException(Status.DEADLINE_EXCEEDED, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException cancelled(String format, Object... args) {
    return new InferenceException(Status.CANCELLED, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException unimplemented(String format, Object... args) {
    return new InferenceException(Status.UNIMPLEMENTED, String.format(format, args));
  }

  @FormatMethod
  public static InferenceException internal(String format, Object... args) {
    return new InferenceException(Status.INTERNAL, String.format(format, args));
  }

  /** The exception itself when it is one, else an INTERNAL wrapper naming the cause. */
  public static InferenceException from(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof InferenceException inference) {
      return inference;
    }
    return new InferenceException(Status.INTERNAL, "internal error: " + cause, cause);
  }
}

package dev.yardmaster.router.admission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Bearer-token auth of the router's calls ({@code auth} in the config): off when no tokens are
 * configured. When on, a call must carry {@code authorization: Bearer <token>} with a caller or an
 * admin token (missing or unknown: UNAUTHENTICATED), and only an admin token may pin a pool with
 * {@code x-yardmaster-pool} (else PERMISSION_DENIED). Tokens are kept as SHA-256 digests, so a
 * lookup takes the same time whatever prefix of a token a caller guesses, and no token is ever
 * printed.
 *
 * @param callerTokenDigests hex SHA-256 of the tokens that may call ({@code auth.tokens_file})
 * @param adminTokenDigests hex SHA-256 of the tokens that may also pin ({@code auth.admin_tokens_file})
 */
public record AuthConfig(Set<String> callerTokenDigests, Set<String> adminTokenDigests) {

  public static final String AUTHORIZATION_HEADER = "authorization";
  public static final String PIN_HEADER = "x-yardmaster-pool";
  private static final String BEARER = "bearer ";

  /** Why a call was refused: the gRPC status it maps to. */
  public enum Refusal { UNAUTHENTICATED, PERMISSION_DENIED }

  /** A refused call: the status and a message naming the header and what was expected. */
  public record Refused(Refusal refusal, String message) {}

  public AuthConfig {
    callerTokenDigests = Set.copyOf(callerTokenDigests);
    adminTokenDigests = Set.copyOf(adminTokenDigests);
  }

  /** No auth: every call is allowed, pinning included. */
  public static AuthConfig off() {
    return new AuthConfig(Set.of(), Set.of());
  }

  /** Auth with these plain tokens; admins may call too, so they need not be listed as callers. */
  public static AuthConfig ofTokens(Collection<String> callerTokens, Collection<String> adminTokens) {
    Set<String> callers = new HashSet<>();
    callerTokens.forEach(token -> callers.add(digest(token)));
    Set<String> admins = new HashSet<>();
    adminTokens.forEach(token -> admins.add(digest(token)));
    return new AuthConfig(callers, admins);
  }

  public boolean enabled() {
    return !callerTokenDigests.isEmpty() || !adminTokenDigests.isEmpty();
  }

  /**
   * Checks one call's {@code authorization} value (null when absent); {@code pinsPool} when it
   * carries {@code x-yardmaster-pool}. Null when the call may go on.
   */
  public @Nullable Refused check(@Nullable String authorization, boolean pinsPool) {
    if (!enabled()) {
      return null;
    }
    if (authorization == null) {
      return new Refused(Refusal.UNAUTHENTICATED, AUTHORIZATION_HEADER
          + ": missing (expected: 'Bearer <token>'; this router has auth on)");
    }
    String value = authorization.strip();
    if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return new Refused(Refusal.UNAUTHENTICATED, AUTHORIZATION_HEADER
          + ": not a bearer token (expected: 'Bearer <token>')");
    }
    String token = digest(value.substring(BEARER.length()).strip());
    boolean admin = adminTokenDigests.contains(token);
    if (!admin && !callerTokenDigests.contains(token)) {
      return new Refused(Refusal.UNAUTHENTICATED, AUTHORIZATION_HEADER
          + ": unknown bearer token (expected: a token of auth.tokens_file or auth.admin_tokens_file)");
    }
    if (pinsPool && !admin) {
      return new Refused(Refusal.PERMISSION_DENIED, PIN_HEADER
          + ": pinning a pool needs an admin token (expected: a token of auth.admin_tokens_file, or no "
          + PIN_HEADER + " header)");
    }
    return null;
  }

  /**
   * Checks a call only admins may make ({@code what} names it, e.g. {@code RepositoryModelLoad}):
   * as {@link #check} without a pin, then PERMISSION_DENIED for a caller token. Null when it may go on.
   */
  public @Nullable Refused checkAdmin(@Nullable String authorization, String what) {
    Refused asCaller = check(authorization, false);
    if (asCaller != null || !enabled() || authorization == null) {
      return asCaller;
    }
    String token = authorization.strip().substring(BEARER.length()).strip();
    if (!adminTokenDigests.contains(digest(token))) {
      return new Refused(Refusal.PERMISSION_DENIED, what
          + ": needs an admin token (expected: a token of auth.admin_tokens_file)");
    }
    return null;
  }

  static String digest(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256: missing (expected: in every Java runtime)", e);
    }
  }

  @Override
  public String toString() {
    return enabled()
        ? "AuthConfig{callers=" + callerTokenDigests.size() + ", admins=" + adminTokenDigests.size() + '}'
        : "AuthConfig{off}";
  }
}

package io.pgsnow.emulator.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session and master tokens. A session token can be expired on demand (fault injection) so the
 * drivers' renewal path with the master token is exercised.
 *
 * @param <S> the per-session state the engine keeps
 */
public final class SessionRegistry<S> {

  /** One login: its tokens and the engine state. */
  public static final class Entry<S> {
    private final long id;
    private final String user;
    private final S state;
    private volatile String sessionToken;
    private volatile String masterToken;

    Entry(long id, String user, S state, String sessionToken, String masterToken) {
      this.id = id;
      this.user = user;
      this.state = state;
      this.sessionToken = sessionToken;
      this.masterToken = masterToken;
    }

    public long id() {
      return id;
    }

    public String user() {
      return user;
    }

    public S state() {
      return state;
    }

    public String sessionToken() {
      return sessionToken;
    }

    public String masterToken() {
      return masterToken;
    }
  }

  /** Outcome of looking up a session token. */
  public enum Lookup {
    VALID,
    EXPIRED,
    UNKNOWN
  }

  private final SecureRandom random = new SecureRandom();
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private final Map<String, Entry<S>> bySessionToken = new ConcurrentHashMap<>();
  private final Map<String, Entry<S>> byMasterToken = new ConcurrentHashMap<>();
  private final Map<String, Boolean> expiredTokens = new ConcurrentHashMap<>();

  public Entry<S> open(String user, S state) {
    Entry<S> entry = new Entry<>(ids.incrementAndGet(), user, state, newToken(), newToken());
    bySessionToken.put(entry.sessionToken, entry);
    byMasterToken.put(entry.masterToken, entry);
    return entry;
  }

  private String newToken() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return "ETMsDg" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Lookup lookup(String sessionToken) {
    if (sessionToken == null) {
      return Lookup.UNKNOWN;
    }
    if (expiredTokens.containsKey(sessionToken)) {
      return Lookup.EXPIRED;
    }
    return bySessionToken.containsKey(sessionToken) ? Lookup.VALID : Lookup.UNKNOWN;
  }

  public Optional<Entry<S>> bySessionToken(String token) {
    return token == null || expiredTokens.containsKey(token)
        ? Optional.empty()
        : Optional.ofNullable(bySessionToken.get(token));
  }

  /** Issues a new session token for the holder of a master token. */
  public Optional<Entry<S>> renew(String masterToken) {
    Entry<S> entry = masterToken == null ? null : byMasterToken.get(masterToken);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      bySessionToken.remove(entry.sessionToken);
      expiredTokens.remove(entry.sessionToken);
      entry.sessionToken = newToken();
      bySessionToken.put(entry.sessionToken, entry);
    }
    return Optional.of(entry);
  }

  /** Makes every current session token answer "session expired" until renewed. */
  public int expireAll() {
    bySessionToken.keySet().forEach(t -> expiredTokens.put(t, Boolean.TRUE));
    return bySessionToken.size();
  }

  public Optional<Entry<S>> close(String sessionToken) {
    Entry<S> entry = sessionToken == null ? null : bySessionToken.remove(sessionToken);
    if (entry != null) {
      byMasterToken.remove(entry.masterToken);
    }
    return Optional.ofNullable(entry);
  }

  public java.util.Collection<Entry<S>> all() {
    return byMasterToken.values();
  }
}

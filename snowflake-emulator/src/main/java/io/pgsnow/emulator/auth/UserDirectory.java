package io.pgsnow.emulator.auth;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The emulator's users: passwords and up to two RSA public keys each, like Snowflake. */
public final class UserDirectory {

  /** One user account. {@code publicKeys} holds RSA_PUBLIC_KEY and RSA_PUBLIC_KEY_2. */
  public record User(String name, Optional<String> password, List<PublicKey> publicKeys) {}

  /** Where users survive restarts. */
  public interface Store {
    void save(User user);

    List<User> loadAll();
  }

  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final Store store;

  public UserDirectory(Store store) {
    this.store = store;
    store.loadAll().forEach(u -> users.put(u.name(), u));
  }

  private static String key(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  /** Creates the user or replaces its password. */
  public void setPassword(String name, String password) {
    User current = users.get(key(name));
    List<PublicKey> keys = current == null ? List.of() : current.publicKeys();
    put(new User(key(name), Optional.of(password), keys));
  }

  /** Creates the user or sets its (first) public key. */
  public void setPublicKey(String name, PublicKey publicKey) {
    User current = users.get(key(name));
    Optional<String> password = current == null ? Optional.empty() : current.password();
    List<PublicKey> keys = new ArrayList<>();
    keys.add(publicKey);
    put(new User(key(name), password, keys));
  }

  private void put(User user) {
    users.put(user.name(), user);
    store.save(user);
  }

  public List<PublicKey> publicKeys(String name) {
    User user = users.get(key(name));
    return user == null ? List.of() : user.publicKeys();
  }

  /**
   * Checks a password login; the message matches Snowflake's for both unknown user and bad
   * password.
   */
  public String authenticate(String name, String password) {
    User user = users.get(key(name == null ? "" : name));
    if (user == null || user.password().isEmpty() || !user.password().get().equals(password)) {
      throw new AuthenticationException(
          AuthenticationException.BAD_CREDENTIALS, "Incorrect username or password was specified.");
    }
    return user.name();
  }

  public boolean exists(String name) {
    return users.containsKey(key(name));
  }
}

package io.pgsnow.smt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;
import org.apache.kafka.connect.data.Schema;

/**
 * Output schemas derived from input schemas, so that a transform builds each output schema once and
 * hands out the same instance for every record of that shape (converters and sinks key their own
 * caches on schema identity). Bounded, because a topic whose schema keeps changing must not grow
 * the heap.
 *
 * @param <K> what the output schema is derived from: an input schema, or a record of several
 */
final class DerivedSchemaCache<K> {
  static final int DEFAULT_SIZE = 64;

  private final Cache<K, Schema> cache;

  /**
   * The last key and its schema: records of one topic nearly always carry the identical schema
   * instance, and {@code Schema.equals} short-cuts on identity while {@code hashCode} walks the
   * whole schema, so this skips the hash for the common case.
   */
  private volatile Memo<K> last;

  DerivedSchemaCache(int maxSize) {
    // Run maintenance on the caller's thread: a transform must not start pool threads.
    this.cache = Caffeine.newBuilder().maximumSize(maxSize).executor(Runnable::run).build();
  }

  Schema get(K key, Function<K, Schema> derive) {
    Memo<K> memo = last;
    if (memo != null && memo.key.equals(key)) {
      return memo.schema;
    }
    Schema schema = cache.get(key, derive);
    last = new Memo<>(key, schema);
    return schema;
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  void clear() {
    cache.invalidateAll();
    last = null;
  }

  private record Memo<K>(K key, Schema schema) {}
}

package io.pgsnow.emulator.http;

import io.pgsnow.emulator.engine.QueryResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recent results by query id, for clients that fetch a result after the request that produced it
 * (the children of a multi-statement request). Bounded: the oldest results are forgotten.
 */
final class ResultCache {

  private static final int CAPACITY = 1000;

  private final Map<String, QueryResult> results =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, QueryResult> eldest) {
          return size() > CAPACITY;
        }
      };

  synchronized void put(String queryId, QueryResult result) {
    results.put(queryId, result);
  }

  synchronized Optional<QueryResult> get(String queryId) {
    return Optional.ofNullable(results.get(queryId));
  }
}

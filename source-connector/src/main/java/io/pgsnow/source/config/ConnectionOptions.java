package io.pgsnow.source.config;

import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/** Where and as whom the connector connects to PostgreSQL. */
public record ConnectionOptions(
    String hostname,
    int port,
    String dbname,
    String user,
    Optional<Password> password,
    String sslmode,
    Optional<String> sslRootCert,
    String connectorName) {}

package io.pgsnow.emulator.http;

import io.pgsnow.emulator.auth.JwtVerifier;
import io.pgsnow.emulator.auth.SessionRegistry;
import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.engine.SessionState;
import io.pgsnow.emulator.engine.StatementExecutor;
import io.pgsnow.emulator.engine.Warehouse;
import io.pgsnow.emulator.fault.Faults;
import io.pgsnow.emulator.fault.RequestJournal;
import io.pgsnow.emulator.pipe.Snowpipe;
import io.pgsnow.emulator.stage.StageStore;
import java.util.function.Supplier;

/** What the HTTP endpoints share: the emulator's components and its own base URL. */
public record EmulatorContext(
    Warehouse warehouse,
    StatementExecutor executor,
    UserDirectory users,
    JwtVerifier jwtVerifier,
    SessionRegistry<SessionState> sessions,
    StageStore stages,
    Snowpipe snowpipe,
    Faults faults,
    RequestJournal journal,
    Supplier<String> baseUrl) {}

package io.pgsnow.emulator.engine;

import java.util.List;

/**
 * The answer to PUT or GET: the driver moves the bytes itself, to or from presigned URLs that the
 * HTTP layer mints for {@code stageKey} + {@code prefix} + each file name.
 */
public record FileTransfer(
    String command,
    List<String> sourceLocations,
    List<String> stageKey,
    String prefix,
    List<String> presignedFiles,
    String localLocation,
    boolean autoCompress,
    boolean overwrite) {}

package io.pgsnow.emulator.stage;

import java.time.Instant;

/**
 * A file in a stage: its path relative to the stage root, size, MD5 (hex) and modification time.
 */
public record StageFile(String path, long size, String md5, Instant lastModified) {}

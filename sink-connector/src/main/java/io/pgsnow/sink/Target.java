package io.pgsnow.sink;

import io.pgsnow.sink.naming.Identifier;

/**
 * Where one topic partition's rows go: the table, its stage, the pipe (as an object name and as the
 * fully qualified name Snowpipe's REST API takes) and the partition's directory in the stage.
 */
record Target(
    Identifier table, Identifier stage, Identifier pipeObject, String pipe, String directory) {}

package dev.resolute.sdk.internal.statemachine;

import com.google.protobuf.ByteString;
import java.util.Map;

/** What the StartMessage said. */
record StartInfo(
    byte[] rawId,
    String debugId,
    String key,
    Map<ByteString, ByteString> state,
    boolean partialState,
    int retryCount,
    long durationSinceLastStoredEntryMs,
    long randomSeed,
    int knownEntries) {}

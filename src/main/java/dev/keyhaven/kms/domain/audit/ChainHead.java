package dev.keyhaven.kms.domain.audit;

import java.time.Instant;

/**
 * The stored head of the chain: the last record and the last checkpoint.
 *
 * @param checkpointSignature null before the first checkpoint
 * @param checkpointTime when the last checkpoint was made (the chain's creation before the first)
 */
public record ChainHead(
    long lastSeq,
    byte[] lastHash,
    long checkpointSeq,
    byte[] checkpointSignature,
    Instant checkpointTime) {}

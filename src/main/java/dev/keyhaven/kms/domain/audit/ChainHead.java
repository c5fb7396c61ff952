package dev.keyhaven.kms.domain.audit;

import java.time.Instant;

/**
 * The stored head of one chain: its last record and its last checkpoint.
 *
 * @param chainId the chain (1 for the trail's first chain)
 * @param checkpointSignature null before the first checkpoint
 * @param checkpointTime when the last checkpoint was made (the chain's creation before the first)
 */
public record ChainHead(
    long chainId,
    long lastSeq,
    byte[] lastHash,
    long checkpointSeq,
    byte[] checkpointSignature,
    Instant checkpointTime) {}

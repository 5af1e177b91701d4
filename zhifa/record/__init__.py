"""The full-process record (执法全过程记录): event log, Merkle tree, checkpoints, evidence, access log."""

"""The cryptographic core of the sealed log: the Merkle tree, signed notes and checkpoints, proofs.

Each module imports only the standard library and `cryptography`, so that the standalone verifier can ship
them as they are (docs/seal.md).
"""

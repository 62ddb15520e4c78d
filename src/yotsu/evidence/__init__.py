"""Evidence registry: citations and the three evidence levels."""

from yotsu.evidence._registry import (
    Citation,
    EvidenceLevel,
    RegistryFileError,
    UnknownCitationError,
    check_keys,
    cite,
    registry,
)

__all__ = [
    "Citation",
    "EvidenceLevel",
    "RegistryFileError",
    "UnknownCitationError",
    "check_keys",
    "cite",
    "registry",
]

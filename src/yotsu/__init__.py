"""Yotsu: chronic low back pain as the brain's danger judgment.

The public API is re-exported here; see the README for the contract.
"""

__version__ = "0.1.0"

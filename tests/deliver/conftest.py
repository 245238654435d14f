"""Fixtures of the delivery tests: moto's AWS emulator on loopback (see delivery_helpers)."""

from delivery_helpers import aws

__all__ = ["aws"]

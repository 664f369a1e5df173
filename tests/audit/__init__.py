"""Tests of the audit log: recording, immutability, reading and export."""

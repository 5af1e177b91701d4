"""Enforcement cases and their parties (the penalty procedure grows here)."""

"""Deterministic, realistic demo data (synthetic names) for the whole platform."""

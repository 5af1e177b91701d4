"""Cross-cutting pieces: rule errors, the working-day calendar's administrator table."""

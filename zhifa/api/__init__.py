"""REST API (thin: calls the same actions as the UI)."""

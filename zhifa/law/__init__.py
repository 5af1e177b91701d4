"""The rules of law as code: pure Python, no Django."""

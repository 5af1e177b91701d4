"""zhifa (执法): administrative law enforcement platform — publicity, full-process record, legal review."""

__version__ = "0.1.0"

"""Publication of enforcement decisions after the act (事后公开): pipeline, redaction review, withdrawal,
search, feeds and annual reports."""

"""The public portal (事前、事中公示): agencies, officers and credential checks, window duty boards, progress
queries and complaints (实施办法二(一)1–2)."""

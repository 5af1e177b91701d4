"""Agencies (执法主体), units, users and roles, officers' credentials, reviewers' qualifications."""

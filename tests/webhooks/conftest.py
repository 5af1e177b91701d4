from tests.cases.conftest import case, team  # noqa: F401  (shared fixtures: an agency's team and a case)

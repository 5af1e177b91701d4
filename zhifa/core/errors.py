"""One error type for every action a rule of law (or of the platform) blocks."""

from dataclasses import dataclass


@dataclass
class RuleViolation(Exception):
    """A blocked action: a stable `code`, the legal `basis` (article) and a human `detail` in Chinese."""

    code: str
    basis: str
    detail: str

    def __str__(self) -> str:
        return f"{self.detail}（{self.basis}）" if self.basis else self.detail

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "basis": self.basis, "detail": self.detail}


def require(condition: object, code: str, basis: str, detail: str) -> None:
    """Raise RuleViolation unless `condition` holds."""
    if not condition:
        raise RuleViolation(code=code, basis=basis, detail=detail)

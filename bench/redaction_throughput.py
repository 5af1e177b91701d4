"""Redaction throughput (issue 7 §2: ≥ 1 MB/s): redact ~5 MB of synthetic decisions, one decision per call.

Prints ONE JSON line: wall-clock figures, plus CPU time, which a busy machine does not inflate. The baseline is a
plain ``re.sub`` of one simple digit pattern over the same text in the same run, so the ratio says how much dearer
the full redaction is than the cheapest conceivable pass.
Usage: python bench/redaction_throughput.py [--mb 5]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.law.redaction_corpus.evaluate import tricky_docs  # noqa: E402
from tests.law.redaction_corpus.generator import generate  # noqa: E402
from zhifa.law.redaction import redact  # noqa: E402

TARGET_MB_PER_S = 1.0


def corpus(mb: float) -> list[str]:
    texts = [d.text for d in tricky_docs()]
    seed = 1
    while sum(len(t.encode("utf-8")) for t in texts) < mb * 1_000_000:
        texts += [d.text for d in generate(seed, 200)]
        seed += 1
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of decision text to redact")
    args = parser.parse_args()
    texts = corpus(args.mb)
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
    for text in texts[:20]:  # warm the regex caches
        redact(text)
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in texts:
        redact(text)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start

    joined = "\n".join(texts)
    digits = re.compile(r"\d{11}")
    start = time.perf_counter()
    digits.sub("*", joined)
    baseline_seconds = time.perf_counter() - start

    mb_per_s = size_mb / seconds
    baseline = size_mb / baseline_seconds
    print(json.dumps({"bench": "redaction_throughput", "mb": round(size_mb, 3), "seconds": round(seconds, 3),
                      "mb_per_s": round(mb_per_s, 3), "baseline_mb_per_s": round(baseline, 3),
                      "ratio": round(mb_per_s / baseline, 4), "target_mb_per_s": TARGET_MB_PER_S,
                      "cpu_seconds": round(cpu_seconds, 3), "cpu_mb_per_s": round(size_mb / cpu_seconds, 3)}))
    return 0 if mb_per_s >= TARGET_MB_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())

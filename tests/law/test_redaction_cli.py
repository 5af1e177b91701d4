"""`zhifa redact [--policy NAME] [--known FILE.json] FILE… --out DIR`: exit 0 ok, 1 failure, 2 bad usage or input."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from zhifa.cli import main
from zhifa.law.redaction_cli import run_redact

DECISION = "当事人：张三，男\n身份证号码：430221198503051239\n证人李四称，其电话为13873312345。\n"
REDACTED = "当事人：张三，男\n身份证号码：******************\n证人李某称，其电话为***********。\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(DECISION, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("经查，证人王五称。\r\n", encoding="utf-8")
    return tmp_path


def run(*argv: str, files_dir: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(files_dir)
    try:
        from contextlib import redirect_stderr, redirect_stdout

        with redirect_stdout(out), redirect_stderr(err):
            code = main(["redact", *argv])
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def test_redact_writes_each_file_under_its_name(files):
    code, out, err = run("in/a.txt", "in/b.txt", "--out", "out", files_dir=files)
    assert code == 0, err
    assert (files / "out" / "a.txt").read_text(encoding="utf-8") == REDACTED
    assert (files / "out" / "b.txt").read_bytes() == "经查，证人王某称。\r\n".encode()  # line endings kept
    assert "a.txt" in out and "id_number 1" in out


def test_strict_policy(files):
    assert run("--policy", "strict", "in/a.txt", "--out", "out", files_dir=files)[0] == 0
    assert (files / "out" / "a.txt").read_text(encoding="utf-8").startswith("当事人：张某，男")


def test_known_data_file(files):
    (files / "known.json").write_text(json.dumps({"names": ["张三"], "phones": ["13873312345"]}), encoding="utf-8")
    (files / "in" / "c.txt").write_text("张三的手机是138 7331 2345。", encoding="utf-8")
    assert run("--known", "known.json", "in/c.txt", "--out", "out", files_dir=files)[0] == 0
    assert (files / "out" / "c.txt").read_text(encoding="utf-8") == "张某的手机是*** **** ****。"


@pytest.mark.parametrize(("argv", "code_word"), [
    (["in/missing.txt"], "error[missing]"),
    (["in/bad.txt"], "error[not_utf8]"),
    (["--policy", "lenient", "in/a.txt"], "error[unknown_policy]"),
    (["--known", "nope.json", "in/a.txt"], "error[bad_known]"),
    (["--known", "in/a.txt", "in/a.txt"], "error[bad_known]"),
    (["in/a.txt", "in/sub/a.txt"], "error[duplicate_name]"),
])
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(files, argv, code_word):
    (files / "in" / "bad.txt").write_bytes("当事人".encode("gbk"))
    (files / "in" / "sub").mkdir()
    (files / "in" / "sub" / "a.txt").write_text("x", encoding="utf-8")
    code, _out, err = run(*argv, "--out", "out", files_dir=files)
    assert code == 2
    assert code_word in err and err.startswith("zhifa redact: ")
    assert not (files / "out").exists()


def test_output_over_the_input_is_refused(files):
    code, _out, err = run("in/a.txt", "--out", "in", files_dir=files)
    assert code == 2 and "would_overwrite" in err
    assert (files / "in" / "a.txt").read_text(encoding="utf-8") == DECISION


def test_missing_out_is_bad_usage(files):
    assert run("in/a.txt", files_dir=files)[0] == 2


def test_write_failure_exits_1(files, tmp_path):
    blocker = files / "blocked"
    blocker.mkdir()
    (blocker / "a.txt").mkdir()  # a directory where the output file should go
    err = io.StringIO()
    code = run_redact([files / "in" / "a.txt"], blocker, stdout=io.StringIO(), stderr=err)
    assert code == 1 and "write_failed" in err.getvalue()

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_documents_every_environment_variable_the_settings_read():
    settings = (ROOT / "backend" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', settings)) | set(re.findall(r'secret\(env, "([A-Z_]+)"', settings))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)`", readme, flags=re.MULTILINE))

    assert read, "expected to find env reads in settings.py"
    assert sorted(read - documented) == []


def test_it_names_the_two_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    assert "bash bin/demo" in readme
    assert "bash bin/test" in readme
    assert "exec bash bin/test" in ci

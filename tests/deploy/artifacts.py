"""Readers for the deploy/ files the tests check: the Dockerfile, compose.yaml, the manifests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
QUEUES = ("transactional", "bulk", "heavy")


@dataclass(frozen=True)
class Instruction:
    stage: str
    keyword: str
    arguments: str


def dockerfile(path: Path = DEPLOY / "Dockerfile") -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped, each tagged with its stage."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not pending):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    instructions = []
    stage = ""
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.search(r"\sAS\s+(\S+)", arguments, re.IGNORECASE)
            stage = match.group(1) if match else arguments
        instructions.append(Instruction(stage, keyword, " ".join(arguments.split())))
    return instructions


def stage(name: str) -> list[Instruction]:
    return [instruction for instruction in dockerfile() if instruction.stage == name]


def final_stage() -> list[Instruction]:
    return stage(dockerfile()[-1].stage)


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def manifests() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found.append((path, document))
    return found


def manifest(kind: str, name: str) -> dict[str, Any]:
    for _path, document in manifests():
        if document["kind"] == kind and document["metadata"]["name"] == name:
            return document
    raise LookupError(f"no {kind} {name} in deploy/kubernetes/")


def containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    spec: list[dict[str, Any]] = document["spec"]["template"]["spec"]["containers"]
    return spec


def pod_templates() -> list[tuple[str, dict[str, Any]]]:
    return [
        (document["metadata"]["name"], document["spec"]["template"])
        for _path, document in manifests()
        if document["kind"] in {"Deployment", "Job", "StatefulSet", "DaemonSet"}
    ]


def package_list(name: str) -> list[str]:
    lines = (DEPLOY / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def documented_settings() -> set[str]:
    """Environment variables in the README's configuration table (`NAME` / `_FILE` forms included)."""
    names: set[str] = set()
    for line in (ROOT / "README.md").read_text().splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        base = ""
        for token in re.findall(r"`([A-Z0-9_]+)`", first_cell):
            if token == "_FILE" and base:
                names.add(base + "_FILE")
            elif token.startswith("_") and base:
                names.add(base + token)
            else:
                base = token
                names.add(token)
    return names


def gunicorn_settings() -> set[str]:
    """Environment variables deploy/gunicorn.conf.py reads."""
    return set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', (DEPLOY / "gunicorn.conf.py").read_text()))

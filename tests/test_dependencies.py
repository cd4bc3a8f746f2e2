"""Every package the code imports is declared in pyproject.toml, and requirements.lock pins
every declared package inside its range; the Quick start, CI and the image install from it.

Read from the source with ast, so an import inside a function counts too."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"shop", "traceability", "worker"}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)$")


def _pyproject() -> dict:
    return tomllib.loads(REPO.joinpath("pyproject.toml").read_text())


def _declared(*, extras: bool) -> list[Requirement]:
    project = _pyproject()["project"]
    requirements = [Requirement(line) for line in project["dependencies"]]
    if extras:
        for group in project.get("optional-dependencies", {}).values():
            requirements += [Requirement(line) for line in group]
    return requirements


def _lock() -> dict[str, str]:
    pins = {}
    for line in REPO.joinpath("requirements.lock").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not a plain pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _imported_top_level_modules() -> dict[str, str]:
    """Top-level module -> one file importing it, for every absolute import in our code."""
    found = {}
    for package in sorted(FIRST_PARTY):
        for path in sorted(REPO.joinpath(package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    found.setdefault(top, str(path.relative_to(REPO)))
    return {
        top: where
        for top, where in found.items()
        if top not in FIRST_PARTY and top not in sys.stdlib_module_names and top != "__future__"
    }


def test_every_imported_third_party_package_is_declared():
    # given what the code imports and what pyproject.toml declares for runtime
    declared = {canonicalize_name(r.name) for r in _declared(extras=False)}
    distributions = importlib.metadata.packages_distributions()

    # then each imported module comes from a declared distribution (not one pulled in by
    # another package, which could drop it in any release)
    undeclared = {
        f"{top} ({where})": distributions.get(top, ["not installed"])
        for top, where in _imported_top_level_modules().items()
        if not declared & {canonicalize_name(d) for d in distributions.get(top, [])}
    }
    assert undeclared == {}


def test_the_scan_sees_redis_which_is_imported_directly():
    # the check above has teeth: redis is imported by name, so it must be declared by name
    assert "redis" in _imported_top_level_modules()
    assert "redis" in {canonicalize_name(r.name) for r in _declared(extras=False)}


def test_the_lock_pins_every_declared_package_inside_its_range():
    pins = _lock()

    problems = []
    for requirement in _declared(extras=True):
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name}: missing from requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{name}: {pins[name]} outside {requirement.specifier}")
        for extra in requirement.extras:
            # the extra's own packages must be pinned too (e.g. psycopg[binary])
            dist = importlib.metadata.distribution(requirement.name)
            for needed in dist.requires or []:
                extra_requirement = Requirement(needed)
                marker = extra_requirement.marker
                if marker and marker.evaluate({"extra": extra}) and not marker.evaluate():
                    if canonicalize_name(extra_requirement.name) not in pins:
                        problems.append(f"{extra_requirement.name}: {name}[{extra}] not pinned")
    assert problems == []


def test_the_lock_names_no_index_or_local_path():
    text = REPO.joinpath("requirements.lock").read_text()

    assert "--index-url" not in text
    assert "--find-links" not in text
    assert "file:" not in text
    assert "/opt/" not in text


def test_the_installed_packages_are_the_locked_versions():
    # CI installs from the lock (.ci/run runs the Quick start command): what runs is pinned
    mismatched = {}
    for name, version in _lock().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            mismatched[name] = (version, installed)

    assert mismatched == {}, "reinstall with the Quick start command"


def test_the_quick_start_and_the_image_install_from_the_lock():
    readme = REPO.joinpath("README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start)
    compose = YAML(typ="safe").load(REPO.joinpath("docker-compose.yml").read_text())
    dockerfile = compose["x-app"]["build"]["dockerfile_inline"]

    assert len(commands) == 2
    for command in commands:
        assert command.startswith(
            "python3 -m venv .venv && .venv/bin/pip install -r requirements.lock -e . && "
        )
    # the image takes the runtime packages only, each at its locked version
    assert "COPY pyproject.toml requirements.lock manage.py ./" in dockerfile
    assert "pip install --no-cache-dir -c requirements.lock ." in dockerfile

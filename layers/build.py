"""Builds Rightsflow's Lambda packages: the shared layer, extra dependency layers and functions.

`sam build` runs it through `layers/Makefile` (each resource's `Metadata: BuildMethod: makefile,
ContextPath: layers`), in a scratch copy of the resource's CodeUri or ContentUri, writing into the
resource's artifacts folder. The cold-start benchmark and the packaging tests run the very same
Makefile targets, so what they measure and import is what ships.

What each package holds:

- `shared-layer`: the `rightsflow` package without what only runs on a developer's machine
  (`SHARED_CODE_EXCLUDED`: the local stack, the CLIs, the demo, the GDPR page, the generator
  of the OpenAPI document, the catalogs' build; the catalogs ship compiled, `.mo`, never their
  `.po` sources), and `functions/requirements.txt` installed for the Lambda runtime's Python and
  architecture, with Babel's locale data cut to the languages the catalogs hold
  (`_trim_babel_locales`).
- `layer`: a layer of extra dependencies (`layers/<name>/requirements.txt`), resolved against the
  shared layer's versions, holding only what the shared layer does not already ship, and without
  the installed files `layers/<name>/exclude.txt` names (glob patterns under `python/`, each with
  the reason nothing loads it; a pattern that matches nothing fails the build, so the list
  follows the dependency's versions).
- `function`: a function's own folder (its handler). Dependencies belong in a layer.

Every package is compiled to bytecode here (`unchecked-hash` .pyc: Lambda's task root is
read-only, so uncompiled modules would be compiled again at every cold start, and zip archives
keep modification times at 2-second resolution, so timestamp-checked .pyc could be judged stale).

Run it with the Python of the Lambda runtime (3.12): bytecode is specific to a Python version.
Standard library only: it runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

SHARED_PACKAGE = "rightsflow"
# Parts of the shared package that never run in Lambda (paths relative to the package).
SHARED_CODE_EXCLUDED = frozenset(
    {"local", "cli.py", "ops_cli.py", "demo.py", "page", "api_document.py", "catalogs.py"}
)
# Sources of what ships compiled: the gettext catalogs (.po, and their template .pot).
SHARED_SOURCE_SUFFIXES = (".po", ".pot")
# Where the package's compiled catalogs are: one folder per language (rightsflow.domain.language).
LOCALE_FOLDER = "locale"
# Never shipped from any source folder.
JUNK = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
JUNK_SUFFIXES = (".pyc", ".pyo", ".egg-info")
# Folders pip creates in a --target install that nothing imports (console scripts).
TARGET_JUNK = ("bin",)
# Amazon Linux 2023 (the python3.12 runtime) has glibc 2.34: every manylinux wheel up to it fits.
OLDEST_GLIBC_MINOR = 17
RUNTIME_GLIBC_MINOR = 34
ARCHITECTURES = {"arm64": "aarch64", "x86_64": "x86_64"}
LAYER_SUFFIX = "Layer"


class BuildError(Exception):
    """A package cannot be built as asked; the message says what to change."""


# ---------------------------------------------------------------------------------- commands
def build_shared_layer(source: Path, out: Path, arch: str, python_version: str) -> None:
    """`source` is a copy of functions/: ship the shared code and functions/requirements.txt."""
    _check_interpreter(python_version)
    package = source / SHARED_PACKAGE
    if not (package / "__init__.py").is_file():
        raise BuildError(f"{package} is not the {SHARED_PACKAGE} package")
    site = out / "python"
    _copy_tree(
        package,
        site / SHARED_PACKAGE,
        excluded=SHARED_CODE_EXCLUDED,
        excluded_suffixes=SHARED_SOURCE_SUFFIXES,
    )
    requirements = source / "requirements.txt"
    if requirements.is_file():
        _pip_install(requirements, site, arch, python_version)
    _trim_babel_locales(site, _catalog_languages(package))
    _compile(site)


def build_layer(
    source: Path, out: Path, shared_requirements: Path, arch: str, python_version: str
) -> None:
    """`source` holds a requirements.txt: ship what it needs beyond the shared layer."""
    _check_interpreter(python_version)
    requirements = source / "requirements.txt"
    if not requirements.is_file():
        raise BuildError(f"{source} has no requirements.txt: a layer is built from one")
    site = out / "python"
    shared = _resolve(shared_requirements, arch, python_version)
    with tempfile.TemporaryDirectory() as scratch:
        constraints = Path(scratch) / "shared-layer-versions.txt"
        constraints.write_text(
            "".join(f"{name}=={version}\n" for name, version in sorted(shared.items())),
            encoding="utf-8",
        )
        _pip_install(requirements, site, arch, python_version, constraints=constraints)
    for dist_info in sorted(site.glob("*.dist-info")):
        if _distribution_name(dist_info) in shared:
            _remove_distribution(site, dist_info)
    excluded = source / "exclude.txt"
    if excluded.is_file():
        _exclude(site, excluded)
    _compile(site)


def _exclude(site: Path, listing: Path) -> None:
    """Delete the installed files and folders the listing's glob patterns match."""
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), 1):
        pattern = line.split("#", 1)[0].strip()
        if not pattern:
            continue
        matches = sorted(site.glob(pattern))
        if not matches:
            raise BuildError(f"{listing}:{number}: {pattern!r} matches nothing installed")
        for path in matches:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def build_function(source: Path, out: Path, python_version: str) -> None:
    """`source` is a function's folder: ship its files as they are."""
    _check_interpreter(python_version)
    if (source / "requirements.txt").exists():
        raise BuildError(
            f"{source}/requirements.txt: a function's dependencies go into a layer "
            "(layers/<name>/requirements.txt and a LayerVersion in template.yaml; README, Deploying)"
        )
    _copy_tree(source, out, excluded=frozenset())
    _compile(out)


def report_sizes(build_dir: Path, max_function_mb: float | None) -> int:
    """Print each built function's and layer's size; non-zero when a function is over the limit."""
    rows = []
    for folder in sorted(path for path in build_dir.iterdir() if path.is_dir()):
        files = [file for file in folder.rglob("*") if file.is_file()]
        size = sum(file.stat().st_size for file in files)
        rows.append((folder.name, len(files), size, _zipped_size(folder, files)))
    print(f"{'package':<32} {'files':>7} {'unzipped MB':>12} {'zipped MB':>10}")
    for name, count, size, zipped in rows:
        print(f"{name:<32} {count:>7} {size / 1e6:>12.3f} {zipped / 1e6:>10.3f}")
    too_big = [
        name
        for name, _, size, _ in rows
        if max_function_mb is not None
        and not name.endswith(LAYER_SUFFIX)
        and size > max_function_mb * 1e6
    ]
    for name in too_big:
        print(f"{name}: over {max_function_mb:g} MB unzipped; move dependencies into a layer")
    return 1 if too_big else 0


# ---------------------------------------------------------------------------------- helpers
def _check_interpreter(python_version: str) -> None:
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != python_version:
        raise BuildError(
            f"bytecode for the python{python_version} runtime needs Python {python_version} "
            f"to compile it, not {running}: run with PYTHON=python{python_version}"
        )


def _catalog_languages(package: Path) -> set[str]:
    """The languages the package writes in: English (its messages' source) and each language
    with a compiled catalog under rightsflow/locale/<language>/LC_MESSAGES."""
    found = {path.parent.name for path in (package / LOCALE_FOLDER).glob("*/LC_MESSAGES")}
    return {"en", *found}


def _trim_babel_locales(site: Path, languages: set[str]) -> None:
    """Babel ships CLDR data for about 1,100 locales (some 30 MB); dates, numbers and lists are
    only ever written in `languages`, each of which needs its own file and CLDR's root (which
    every locale falls back to). Locale-independent tables (time zones, plural rules) are in
    babel/global.dat, which stays."""
    data = site / "babel" / "locale-data"
    if not data.is_dir():
        return
    keep = {"root", *languages}
    missing = sorted(language for language in languages if not (data / f"{language}.dat").exists())
    if missing:
        raise BuildError(f"Babel has no locale data for {', '.join(missing)}")
    for file in data.glob("*.dat"):
        if file.stem not in keep:
            file.unlink()


def _copy_tree(
    source: Path,
    target: Path,
    excluded: frozenset[str],
    excluded_suffixes: tuple[str, ...] = (),
) -> None:
    for file in sorted(_files(source, excluded)):
        if file.name.endswith(excluded_suffixes):
            continue
        destination = target / file.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, destination)


def _files(source: Path, excluded: frozenset[str]) -> Iterator[Path]:
    for root, folders, files in os.walk(source):
        here = Path(root)
        relative = here.relative_to(source)
        folders[:] = sorted(
            folder
            for folder in folders
            if folder not in JUNK
            and not folder.endswith(JUNK_SUFFIXES)
            and (relative / folder).as_posix() not in excluded
        )
        for name in files:
            if not name.endswith(JUNK_SUFFIXES) and (relative / name).as_posix() not in excluded:
                yield here / name


def _platform_options(arch: str, python_version: str) -> list[str]:
    machine = ARCHITECTURES.get(arch)
    if machine is None:
        raise BuildError(f"unknown architecture {arch!r}; one of {sorted(ARCHITECTURES)}")
    options = ["--implementation", "cp", "--python-version", python_version]
    options += ["--only-binary=:all:", "--platform", f"manylinux2014_{machine}"]
    for minor in range(RUNTIME_GLIBC_MINOR, OLDEST_GLIBC_MINOR - 1, -1):
        options += ["--platform", f"manylinux_2_{minor}_{machine}"]
    return options


def _pip(arguments: Iterable[str]) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *arguments]
    completed = subprocess.run(  # noqa: S603 - our own arguments
        command, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BuildError(
            f"pip failed ({completed.returncode}): {' '.join(command)}\n"
            f"{completed.stdout}{completed.stderr}".rstrip()
        )


def _pip_install(
    requirements: Path,
    site: Path,
    arch: str,
    python_version: str,
    constraints: Path | None = None,
) -> None:
    arguments = ["install", "--quiet", "--no-compile", "--root-user-action=ignore"]
    arguments += ["--target", str(site)]
    arguments += _platform_options(arch, python_version)
    arguments += ["--requirement", str(requirements)]
    if constraints is not None:
        arguments += ["--constraint", str(constraints)]
    _pip(arguments)
    for junk in TARGET_JUNK:
        shutil.rmtree(site / junk, ignore_errors=True)


def _resolve(requirements: Path, arch: str, python_version: str) -> dict[str, str]:
    """The distributions (normalised name -> version) pip installs for `requirements`."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        arguments = [
            "install",
            "--quiet",
            "--dry-run",
            "--ignore-installed",
            "--root-user-action=ignore",
        ]
        arguments += ["--report", str(report), "--target", str(Path(scratch) / "unused")]
        arguments += _platform_options(arch, python_version)
        arguments += ["--requirement", str(requirements)]
        _pip(arguments)
        installed = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {_normalise(item["metadata"]["name"]): item["metadata"]["version"] for item in installed}


def _remove_distribution(site: Path, dist_info: Path) -> None:
    """Delete an installed distribution's files, as its RECORD lists them."""
    record = dist_info / "RECORD"
    if record.is_file():
        for line in record.read_text(encoding="utf-8").splitlines():
            relative = line.split(",", 1)[0]
            path = (site / relative).resolve()
            if relative and path.is_relative_to(site.resolve()) and path.is_file():
                path.unlink()
    shutil.rmtree(dist_info, ignore_errors=True)
    for folder in sorted(site.rglob("*"), key=lambda path: len(path.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _distribution_name(dist_info: Path) -> str:
    """The normalised name of an installed distribution (name-version.dist-info)."""
    return _normalise(dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0])


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _compile(folder: Path) -> None:
    compiled = compileall.compile_dir(
        folder,
        quiet=1,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not compiled:
        raise BuildError(f"some modules under {folder} do not compile")


def _zipped_size(folder: Path, files: list[Path]) -> int:
    """Bytes of the zip archive `sam deploy` would upload for the folder."""
    with tempfile.TemporaryFile() as sink:
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                archive.write(file, file.relative_to(folder).as_posix())
        return sink.tell()


# ---------------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("shared-layer", "layer", "function"):
        command = commands.add_parser(name)
        command.add_argument("--source", type=Path, default=Path.cwd())
        command.add_argument("--out", type=Path, required=True)
        command.add_argument("--python-version", default="3.12")
        if name != "function":
            command.add_argument("--arch", default="arm64", choices=sorted(ARCHITECTURES))
        if name == "layer":
            command.add_argument("--shared-requirements", type=Path, required=True)
    sizes = commands.add_parser("sizes")
    sizes.add_argument("build_dir", type=Path)
    sizes.add_argument("--max-function-mb", type=float, default=None)
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "sizes":
            return report_sizes(arguments.build_dir, arguments.max_function_mb)
        source, out = arguments.source.resolve(), arguments.out.resolve()
        if arguments.command == "shared-layer":
            build_shared_layer(source, out, arguments.arch, arguments.python_version)
        elif arguments.command == "layer":
            build_layer(
                source,
                out,
                arguments.shared_requirements.resolve(),
                arguments.arch,
                arguments.python_version,
            )
        else:
            build_function(source, out, arguments.python_version)
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m macros lint|schema|build|serve`: the same code paths MkDocs uses, without MkDocs."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from macros.browser.catalogue import catalogue_from_content, dumps_catalogue
from macros.clinic.subset import load_clinic_for
from macros.content.loader import CONTENT_DIR
from macros.content.problems import ContentError, rules_table
from macros.content.schema import write_schemas
from macros.lint.content_rules import check_content


def _lint(args: argparse.Namespace) -> int:
    today = date.fromisoformat(args.today) if args.today else None
    _book, problems = check_content(Path(args.content), today)
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} content problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    print("content OK", file=sys.stderr)
    return 0


def _rules(_args: argparse.Namespace) -> int:
    sys.stdout.write(rules_table())
    return 0


def _schema(_args: argparse.Namespace) -> int:
    for path in write_schemas():
        print(f"wrote {path}")
    return 0


def _catalogue(args: argparse.Namespace) -> int:
    try:
        text = dumps_catalogue(catalogue_from_content(Path(args.content)))
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _mkdocs(*args: str, clinic: str | None = None) -> int:
    """Run MkDocs as a child process so its own CLI handles logging and live reload."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if clinic:
        env["HANDBOOK_CLINIC"] = str(Path(clinic).resolve())
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], env=env)


def _check(clinic: str | None) -> bool:
    """Content and clinic problems, all printed; True when there are none."""
    book, problems = check_content(CONTENT_DIR)
    if book is not None and clinic:
        _clinic, clinic_problems = load_clinic_for(book, Path(clinic))
        problems = sorted(problems + clinic_problems)
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was built.", file=sys.stderr
        )
    return not problems


def _clear_build(site: Path) -> None:
    for entry in site.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _clear_earlier_build(site: Path) -> None:
    """Never leave an earlier build in place looking like the result of this one. Like
    MkDocs' own clean step, dot entries (a gh-pages checkout's .git) are left alone, and only
    a folder that holds a build (its sitemap.xml) is cleared."""
    if (site / "sitemap.xml").is_file():
        _clear_build(site)


def _publish(staged: Path, site: Path) -> None:
    """Swap a finished build in for the earlier one, keeping the site folder's dot entries."""
    site.mkdir(parents=True, exist_ok=True)
    _clear_build(site)
    for entry in staged.iterdir():
        target = site / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        entry.rename(target)


def _build(args: argparse.Namespace) -> int:
    site = Path(args.site_dir).resolve()
    if not _check(args.clinic):
        _clear_earlier_build(site)
        return 1
    # MkDocs writes pages one by one and the hooks add icons and the service worker last, so a
    # failure part-way would leave half a site. Build beside the target (same file system, so
    # the swap is a rename) and publish only a build that finished.
    site.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    status = 1
    try:
        built = _mkdocs("build", "--strict", "--site-dir", str(staged), clinic=args.clinic)
        if built == 0:
            _publish(staged, site)
        status = built
    finally:
        shutil.rmtree(staged, ignore_errors=True)
        if status != 0:
            _clear_earlier_build(site)
    if status != 0:
        print(f"The build failed; nothing was published in {args.site_dir}.", file=sys.stderr)
    return status


def _serve(args: argparse.Namespace) -> int:
    if not _check(args.clinic):
        return 1
    return _mkdocs(
        "serve", "--strict", "--livereload", "--dev-addr", args.address, clinic=args.clinic
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser("lint", help="check every content file and print all problems")
    lint.add_argument("--content", default=str(CONTENT_DIR), help="content folder")
    lint.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")
    lint.set_defaults(run=_lint)
    rules = commands.add_parser("rules", help="print the table of rule codes for the README")
    rules.set_defaults(run=_rules)
    schema = commands.add_parser("schema", help="regenerate the editor JSON Schemas")
    schema.set_defaults(run=_schema)
    catalogue = commands.add_parser(
        "catalogue", help="print the calculators' catalogue JSON, made from the content"
    )
    catalogue.add_argument("--content", default=str(CONTENT_DIR), help="content folder")
    catalogue.add_argument("--out", default="-", help="file to write (default: standard output)")
    catalogue.set_defaults(run=_catalogue)
    build = commands.add_parser("build", help="check content, then build the site")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--clinic", help="a clinic folder, e.g. clinics/example")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="check content, then serve with live reload")
    serve.add_argument("--address", default="127.0.0.1:8000")
    serve.add_argument("--clinic", help="a clinic folder, e.g. clinics/example")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())

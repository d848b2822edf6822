"""`python -m macros lint|rules|schema|catalogue|build|serve|stage`: the handbook's command line."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from macros.browser.catalogue import catalogue_from_content, dumps_catalogue
from macros.build import pipeline
from macros.build.generators import DEFAULT, GENERATORS
from macros.build.staging import Sources
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


def _sources(args: argparse.Namespace) -> Sources:
    # Tests build from other content and clinics through the environment as well.
    content = args.content or os.environ.get("HANDBOOK_CONTENT") or str(CONTENT_DIR)
    clinic = args.clinic or os.environ.get("HANDBOOK_CLINIC")
    return Sources(Path(content).resolve(), Path(clinic).resolve() if clinic else None)


def _build(args: argparse.Namespace) -> int:
    return pipeline.build(_sources(args), Path(args.site_dir).resolve(), GENERATORS[args.generator])


def _serve(args: argparse.Namespace) -> int:
    return pipeline.serve(_sources(args), GENERATORS[args.generator], args.address)


def _stage(args: argparse.Namespace) -> int:
    root = Path(args.stage_dir).resolve()
    return pipeline.stage_preview(_sources(args), root, GENERATORS[args.generator])


def _add_build_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--clinic", help="a clinic folder, e.g. clinics/example")
    command.add_argument("--content", help="content folder (default: content/)")
    command.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default=os.environ.get("GENERATOR") or DEFAULT,
        help=f"the site generator (default: {DEFAULT})",
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
    build = commands.add_parser("build", help="check content, stage the pages, build the site")
    build.add_argument("--site-dir", default="site")
    _add_build_options(build)
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="stage and serve with live reload")
    serve.add_argument("--address", default="127.0.0.1:8000")
    _add_build_options(serve)
    serve.set_defaults(run=_serve)
    stage = commands.add_parser("stage", help="stage a served preview (used by serve)")
    stage.add_argument("--stage-dir", required=True)
    _add_build_options(stage)
    stage.set_defaults(run=_stage)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())

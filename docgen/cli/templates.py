"""`docgen templates check`: every letter template compiles and uses only values docgen supplies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from docgen.cli.base import main, print_json, runtime, shared_options
from docgen.config import Settings
from docgen.errors import DocgenError, RenderError
from docgen.letters.context import DocumentName
from docgen.letters.registry import LETTERS
from docgen.letters.render import CompiledTemplate, resolve
from docgen.samples.letters import sample_context


@dataclass
class TemplateReport:
    """The check of one template: its variables, those nobody supplies, or why it cannot be read."""

    document: str
    path: Path
    variables: list[str] = field(default_factory=list)
    unsupplied: list[str] = field(default_factory=list)
    error: str = ""
    merge: bool = False  # a mail-merge template: its values come from the data rows, not a builder

    @property
    def ok(self) -> bool:
        return not self.error and not self.unsupplied

    def to_json(self) -> dict[str, object]:
        return {"document": self.document, "path": str(self.path), "ok": self.ok, "variables": self.variables,
                "unsupplied": self.unsupplied, "error": self.error or None}


def check_templates(settings: Settings) -> list[TemplateReport]:
    """Compile each document's template and compare its variables with a full sample context."""
    reports = []
    for document in DocumentName:
        path = settings.templates_dir / LETTERS[document].template
        report = TemplateReport(document.value, path)
        if not path.is_file():
            report.error = f"template missing: {path}"
            reports.append(report)
            continue
        try:
            template = CompiledTemplate.load(path)
        except RenderError as exc:
            report.error = exc.message
            reports.append(report)
            continue
        context = sample_context(document, signatory=settings.signatory)
        report.variables = sorted(template.variables())
        report.unsupplied = [v for v in report.variables if not resolve(context, v)]
        if not report.unsupplied:
            try:
                template.render(context)
            except RenderError as exc:
                report.error = exc.message
        reports.append(report)
    reports.extend(_other_templates(settings.templates_dir))
    return reports


def _other_templates(folder: Path) -> list[TemplateReport]:
    """Other templates in the folder (mail-merge letters): they must compile; their data comes from rows."""
    known = {letter.template for letter in LETTERS.values()}
    reports = []
    for path in sorted(folder.glob("*.docx")) if folder.is_dir() else []:
        if path.name in known or path.name.startswith(("~$", ".")):
            continue
        report = TemplateReport(path.stem, path, merge=True)
        try:
            report.variables = sorted(CompiledTemplate.load(path).variables())
        except RenderError as exc:
            report.error = exc.message
        reports.append(report)
    return reports


@main.group("templates")
@shared_options
def templates() -> None:
    """Letter templates (docgen/data/letters or [letters] templates in docgen.toml)."""


@templates.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@shared_options
def check(as_json: bool) -> None:
    """List each template's variables; fail on invalid templates or variables docgen does not supply."""
    settings = runtime().settings
    reports = check_templates(settings)
    if as_json:
        print_json([r.to_json() for r in reports])
    else:
        for report in reports:
            status = "ok" if report.ok else "FAILED"
            note = " (mail-merge template: values come from the data)" if report.merge else ""
            click.echo(f"{report.document}.docx: {status}{note}")
            if report.error:
                click.echo(f"  error: {report.error}")
            if report.variables:
                click.echo(f"  variables: {', '.join(report.variables)}")
            for name in report.unsupplied:
                click.echo(f"  not supplied by docgen: {name}")
    failed = [r.document for r in reports if not r.ok]
    if failed:
        raise DocgenError(f"{len(failed)} letter template(s) need fixing: {', '.join(failed)}")

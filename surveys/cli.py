"""`flask qr ...`: the survey links of every counter, for printing or checking."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from flask_babel import gettext
from sqlalchemy import select

from core.db import db
from surveys.links import counter_url
from surveys.models import Centre, Counter, Unit

qr_cli = AppGroup("qr", help="QR codes and links of the counters.")


def counter_links(base_url: str | None = None) -> list[dict[str, str]]:
    """One entry per active counter: ward code, centre, counter label and survey URL."""
    rows = db.session.execute(
        select(Counter).join(Centre).join(Unit)
        .where(Counter.active.is_(True), Centre.active.is_(True))
        .order_by(Unit.code, Centre.name, Counter.label)
    ).scalars()
    links = []
    for counter in rows:
        url = counter_url(counter, base_url)
        if url is not None:
            links.append({"unit": counter.centre.unit.code, "unit_name": counter.centre.unit.name,
                          "centre": counter.centre.name, "counter": counter.label, "url": url})
    return links


@qr_cli.command("links")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--base-url", help="Base URL when PUBLIC_BASE_URL is not set "
                                 "(default http://127.0.0.1:5000).")
def links_command(fmt: str, base_url: str | None) -> None:
    """Print the survey URL of every active counter."""
    links = counter_links(base_url)
    if fmt == "json":
        click.echo(json.dumps(links, ensure_ascii=False, indent=2))
        return
    if not links:
        click.echo(gettext("No active counter has a survey link yet."), err=True)
    for link in links:
        click.echo(f"{link['unit']}  {link['centre']} / {link['counter']}\n    {link['url']}")

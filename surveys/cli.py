"""`flask qr ...`: the survey links of every counter, for printing or checking."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.click_text import option
from core.config import base_url as parse_base_url
from core.db import db
from surveys.links import counter_url
from surveys.models import Centre, Counter, Unit

qr_cli = AppGroup("qr", help=_l("QR codes and links of the counters."))


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


def _checked_base_url(_ctx: click.Context, _param: click.Parameter, value: str | None):
    try:
        return parse_base_url(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def base_url_option(help_text: str):
    """The --base-url option, checked as PUBLIC_BASE_URL is (an http:// or https:// address)."""
    return option("--base-url", callback=_checked_base_url, help=help_text)


@qr_cli.command("links", help=_l("Print the survey URL of every active counter."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@base_url_option(_l("Base URL when PUBLIC_BASE_URL is not set (default http://127.0.0.1:5000)."))
def links_command(fmt: str, base_url: str | None) -> None:
    links = counter_links(base_url)
    if fmt == "json":
        click.echo(json.dumps(links, ensure_ascii=False, indent=2))
        return
    if not links:
        click.echo(gettext("No active counter has a survey link yet."), err=True)
    for link in links:
        click.echo(f"{link['unit']}  {link['centre']} / {link['counter']}\n    {link['url']}")

"""``flask --app webapp invite FORM_ID`` creates an invitation and prints the link and short code."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import forms_access, responses


def init_app(app: Flask) -> None:
    app.cli.add_command(invite)


@click.command("invite")
@with_appcontext
@click.argument("form_id")
@click.option("--municipality", default=None, help="Municipality id the invitation belongs to.")
@click.option("--case", "case_ref", default=None, help="The service's own case reference.")
@click.option("--lang", default="nb", type=click.Choice(["nb", "nn", "en"]), help="Start language.")
def invite(form_id: str, municipality: str | None, case_ref: str | None, lang: str) -> None:
    """Create an invitation to FORM_ID and print its link and short code."""
    defn = forms_access.registry().latest_active(form_id)
    if defn is None:
        raise click.ClickException(f"no active form '{form_id}'")
    created = responses.create_response(
        defn, origin="invite", lang=lang, municipality=municipality, case_ref=case_ref, with_token=True
    )
    base = current_app.config["BASE_URL"].rstrip("/")
    click.echo(f"form: {defn.key}")
    click.echo(f"link: {base}/r/{created.token}")
    click.echo(f"code: {responses.format_code(created.response.code)}")

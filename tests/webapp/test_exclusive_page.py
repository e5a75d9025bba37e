"""«Ingenting av dette nå» is ticked alone: without JavaScript the server refuses a mix on save,
says what to do next to the question and keeps every tick (the browser side, with JavaScript, is
in ``test_exclusive_browser.py``)."""

from __future__ import annotations

import html
import re

from .helpers import post_page
from .test_promises import real_app, section_of, smtp, start  # noqa: F401 (fixtures)

MESSAGE = "Du har krysset av for «Ingenting av dette nå» og for noe annet. Fjern ett av kryssene."


def ticked(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" id="[^"]+" name="{name}" value="([^"]+)" checked', page)


def test_the_exclusive_option_is_marked_for_the_script(real_app):  # noqa: F811
    client = real_app.test_client()
    rid = start(client)
    page = client.get(f"/svar/{rid}/del/{section_of(real_app, 'strain_areas')}").get_data(as_text=True)
    marked = re.findall(r'name="strain_areas" value="([a-z_]+)"[^>]*data-exclusive', page)
    assert marked == ["nothing"]
    assert page.count("data-exclusive") == 1
    assert "/static/app.js" in page


def test_without_javascript_a_mix_is_refused_with_every_tick_kept(real_app):  # noqa: F811
    client = real_app.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/{section_of(real_app, 'strain_areas')}"
    resp = post_page(client, url, {"strain_areas": ["sleep", "time", "nothing"]})
    assert resp.status_code == 400, "not saved: the page comes back with the error"
    page = html.unescape(resp.get_data(as_text=True))
    field_error = re.search(r'<p class="error-message" id="strain_areas-error">(.*?)</p>', page, re.S)
    assert field_error and MESSAGE in field_error.group(1), "the message stands next to the question"
    assert 'aria-describedby="strain_areas-error"' in page
    assert sorted(ticked(page, "strain_areas")) == ["nothing", "sleep", "time"], "nothing is lost"
    # nothing was stored: a fresh page shows no ticks
    again = client.get(url).get_data(as_text=True)
    assert ticked(again, "strain_areas") == []
    # removing one of the ticks saves
    assert post_page(client, url, {"strain_areas": ["sleep", "time"]}).status_code == 303
    assert post_page(client, url, {"strain_areas": ["nothing"]}).status_code == 303
    assert ticked(client.get(url).get_data(as_text=True), "strain_areas") == ["nothing"]


def test_the_information_question_refuses_a_mix_too(real_app):  # noqa: F811
    client = real_app.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/{section_of(real_app, 'info_wanted')}"
    resp = post_page(client, url, {"info_wanted": ["illness", "nothing_now"]})
    assert resp.status_code == 400
    page = html.unescape(resp.get_data(as_text=True))
    assert "Du har krysset av for «Ingenting nå» og for noe annet. Fjern ett av kryssene." in page
    assert sorted(ticked(page, "info_wanted")) == ["illness", "nothing_now"]


def test_the_authoring_preview_marks_the_option_for_the_script(tmp_path, monkeypatch):
    """The preview is the real page (app.js included), but it never validates or saves."""
    from .authoringkit import GOOD_VARIANT, make_app, staff_client, upload

    variant = GOOD_VARIANT.replace("parorende-kartlegging@1.1.0", "parorende-kartlegging@2.0.0").replace(
        "after: support_contact_person", "after: info_wanted"
    )
    app = make_app(tmp_path, monkeypatch)
    try:
        author = staff_client(app, "forms@testby.no", "form_admin")
        assert upload(author, variant).status_code in (200, 303)
        url = "/staff/forms/testby-kommune/1.0.0/preview/how_you_are"
        page = author.get(url).get_data(as_text=True)
        assert re.findall(r'name="strain_areas" value="([a-z_]+)"[^>]*data-exclusive', page) == ["nothing"]
        assert "/static/app.js" in page
    finally:
        app.extensions["formengine_db"].engine.dispose()

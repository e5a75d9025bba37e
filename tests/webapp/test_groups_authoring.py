"""A municipality adds a group (with a repeat group inside) to the core form: the upload is
checked, and the phone preview shows the group as a fieldset with its heading (issue #15)."""

from __future__ import annotations

import re

import pytest

from .authoringkit import GOOD_VARIANT, make_app, staff_client, upload

GROUP_VARIANT = GOOD_VARIANT.replace(
    """      - id: local_callback
        type: yes_no
        label:
          nb: Vil du at Testby ringer deg?
          nn: Vil du at Testby ringjer deg?
          en: Would you like Testby to call you?
""",
    """      - id: local_callback
        type: yes_no
        label:
          nb: Vil du at Testby ringer deg?
          nn: Vil du at Testby ringjer deg?
          en: Would you like Testby to call you?
      - id: local_times
        type: group
        label: {nb: Når kan vi ringe?, nn: Når kan vi ringje?, en: When can we call?}
        show_if: "local_callback == 'yes'"
        items:
          - id: local_slots
            type: repeat
            label: {nb: Tidspunkt, nn: Tidspunkt, en: Time}
            items:
              - {id: local_day, type: text, label: {nb: Dag, nn: Dag, en: Day}}
""",
)


@pytest.fixture
def app(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch)
    yield app
    app.extensions["formengine_db"].engine.dispose()


def test_preview_of_a_variant_with_a_group(app):
    author = staff_client(app, "forms@testby.no", "form_admin")
    assert upload(author, GROUP_VARIANT).status_code == 303
    page = author.get("/staff/forms/testby-kommune/1.0.0/preview/support").get_data(as_text=True)
    tag = re.search(r'<fieldset class="group" id="g-local_times"[^>]*>', page).group(0)
    assert "hidden" in tag and "data-show-if" in tag  # hidden until the answer, revealed live
    assert '<legend class="group__title">Når kan vi ringe?</legend>' in page
    assert 'name="_add" value="local_slots"' in page


def test_an_empty_group_in_an_upload_is_a_located_error(app):
    author = staff_client(app, "forms@testby.no", "form_admin")
    broken = (
        GROUP_VARIANT.replace(
            "        items:\n          - id: local_slots", "        items: []\n          # - id: local_slots"
        )
        .replace("            type: repeat\n", "")
        .replace(
            "            label: {nb: Tidspunkt, nn: Tidspunkt, en: Time}\n            items:\n              - {id: local_day, type: text, label: {nb: Dag, nn: Dag, en: Day}}\n",
            "",
        )
    )
    resp = upload(author, broken)
    assert resp.status_code == 400 and "FE148" in resp.get_data(as_text=True)

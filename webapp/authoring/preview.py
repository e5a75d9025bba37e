"""Preview a version exactly as a relative sees it: the real section template, page by page, nothing saved.

The page is shown in a phone-sized frame on the version page (this endpoint alone may be framed,
by our own pages: see ``webapp.security.FRAMEABLE``). The buttons of the real page post back
here and only move between pages; no answer is kept.
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from formengine.render import wtforms_builder as wb

from .. import db
from ..display import visible_sections
from ..i18n import UI_LANGUAGES, form_language
from ..relatives import pages
from ..staff import audit
from . import info
from .blueprint import bp


def _log(action: str, detail: str) -> None:
    with db.session() as s:
        audit.record(s, g.staff_user, action, detail=detail)
        s.commit()


@bp.get("/<form_id>/<version>/preview")
def preview_start(form_id: str, version: str):
    defn = info.own_version(form_id, version, g.staff_user.municipality)
    visible = visible_sections(defn, {})
    if not visible:
        abort(404)
    return redirect(
        url_for("authoring.preview_page", form_id=form_id, version=version, section_id=visible[0].id),
        code=303,
    )


@bp.route("/<form_id>/<version>/preview/<section_id>", methods=["GET", "POST"])
def preview_page(form_id: str, version: str, section_id: str):
    defn = info.own_version(form_id, version, g.staff_user.municipality)
    try:
        sec = defn.section(section_id)
    except KeyError:
        abort(404)
    before, after = pages.neighbours(defn, sec, {})
    if request.method == "POST":
        return _navigate(defn, sec, before, after)
    _log("form_preview", f"{defn.key} {sec.id}")
    from ..promises import safety_box

    lang = form_language(defn)
    form = pages.form_class(defn, sec, lang, {})(formdata=None, data=wb.initial_data(sec, {}))
    view = {
        "visible": pages.visible_ids(defn, sec, {}) | wb.all_cells(sec),  # every card a relative could get
        "entry_visible": lambda item, entry: wb.item_visible(defn, item, {}, entry),
        "markable": lambda item: item.parent is None or defn.item(item.parent).parent is None,
        "co": set(),
        "lang": lang,
        "options": wb.options_for,
        "layout": lambda options, grouped=(), multiple=False: wb.choice_layout(
            options, lang, grouped=bool(grouped), multiple=bool(multiple)
        ),
        "answers": {},
        "max_length": wb.max_length,
        "new": set(),
        "confirm_remove": None,
        "outside": {},
        # conversation_only: default shows ticked; the safety box shows live under its question
        "marked": lambda item, n=None, entry=None: item.conversation_only_default,
        "safety": safety_box(defn, {}, sec),
        "receives": True,
    }
    visible = [s.id for s in visible_sections(defn, {})]
    position = visible.index(sec.id) + 1 if sec.id in visible else None
    link = lambda s: url_for("authoring.preview_page", form_id=form_id, version=version, section_id=s.id)  # noqa: E731
    return render_template(
        "authoring/preview_section.html",
        response=None,
        defn=defn,
        section=sec,
        form=form,
        view=view,
        position=position,
        total=len(visible),
        errors=[],
        conflicts=[],
        more=False,
        base=pages.fingerprints(sec, {}),
        has_before=before is not None,
        code="",
        back_url=link(before) if before else None,
        next_url=link(after) if after else None,
        page_links=[
            (n, s.title.get(lang), link(s), s.id == sec.id)
            for n, s in enumerate(visible_sections(defn, {}), start=1)
        ],
    )


def _navigate(defn, sec, before, after):
    """The real page's buttons: move to the page before or after; never save."""
    here = url_for("authoring.preview_page", form_id=defn.id, version=defn.version, section_id=sec.id)
    lang = request.form.get("_lang")
    if lang in UI_LANGUAGES:
        return redirect(f"{here}?lang={lang}", code=303)
    nav = request.form.get("_nav")
    target = {"next": after, "back": before}.get(nav or "")
    if target is None:
        return redirect(here, code=303)
    return redirect(
        url_for("authoring.preview_page", form_id=defn.id, version=defn.version, section_id=target.id),
        code=303,
    )

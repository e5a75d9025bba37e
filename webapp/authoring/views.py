"""Routes: the list of versions, upload, the version page (preview, PDF, diff), publish and delete."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from formengine import MAX_BYTES, Location, Problem, sample_answers, summary

from .. import db
from ..forms_access import registry
from ..i18n import current_language, form_language
from ..staff import audit
from ..staff.documents import pdf_response
from . import checking, info, storage
from .blueprint import bp

REFUSED = {
    "exists": lambda: _("This version exists already. A version that exists is never replaced."),
    "published": lambda: _("This version is published and can never change."),
    "missing": lambda: _("This version is not in your municipality's folder."),
    "status_line": lambda: _(
        "The line 'status: draft' could not be found. Change it to 'status: active' in a "
        "new version and upload that."
    ),
    "invalid": lambda: _("The version could not be published because of the problems below."),
    "too_low": lambda: _(
        "The version number is too low for these changes, so it cannot be published. Upload "
        "the form again with the version number shown under “Changes”."
    ),
    "placeholders": lambda: _(
        "The file still has placeholders from the template (TODO), so it cannot be "
        "published. Fill in or remove each one, then upload the form as a new version."
    ),
    "not_published": lambda: _("Only a published version can be retired."),
    "retired": lambda: _("This version is retired already."),
}


def _log(action: str, detail: str = "") -> None:
    with db.session() as s:
        audit.record(s, g.staff_user, action, detail=detail)
        s.commit()


def _municipality() -> str:
    return g.staff_user.municipality


@bp.get("")
def index():
    _log("forms_list")
    return render_template(
        "authoring/list.html", rows=info.listing(_municipality()), title=_("Form versions")
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        return _upload()
    text = _start_text(request.args.get("from", ""))
    return render_template(
        "authoring/new.html",
        form=form,
        check=None,
        text=text,
        limit=MAX_BYTES,
        title=_("Upload a form version"),
    )


def _start_text(ref: str) -> str:
    """The text of an existing own version with a higher version number and status draft (or empty)."""
    form_id, _sep, version = ref.partition("@")
    try:
        defn = registry().get(form_id, version)
    except LookupError:
        return ""
    doc = registry().documents.get((form_id, version))
    if doc is None or not defn.municipality or defn.municipality.id != _municipality():
        return ""
    newer = max((d.version for d in registry().versions(form_id)), key=info.semver_key)
    lines = []
    for line in doc.text.splitlines(keepends=True):
        if line.startswith("version:"):
            line = f"version: {info.next_version(newer)}\n"
        elif line.startswith("status:"):
            line = "status: draft\n"
        lines.append(line)
    return "".join(lines)


SHOWN_LINES = 2000
ECHO_LIMIT = 256 * 1024
CONTEXT_LINES = 5


def shown_lines(lines: list[str], by_line: dict) -> list[tuple[int, str | None]]:
    """(line number, text) of the source to show under the problems; ``None`` marks left-out lines.

    A long file (a 250,000-line bomb) is shown only around its problems, so the page stays
    small and quick; a form of ordinary length is shown whole.
    """
    if len(lines) <= SHOWN_LINES:
        return list(enumerate(lines, 1))
    wanted = sorted(
        {
            n
            for line in by_line
            for n in range(line - CONTEXT_LINES, line + CONTEXT_LINES + 1)
            if 1 <= n <= len(lines)
        }
    )[:SHOWN_LINES]
    out: list[tuple[int, str | None]] = []
    for n in wanted:
        if out and out[-1][0] != n - 1:
            out.append((n - 1, None))
        out.append((n, lines[n - 1]))
    if wanted and wanted[-1] < len(lines):
        out.append((len(lines), None))
    return out


def too_large():
    """The upload was over even UPLOAD_CEILING: the same located FE003 as the loader gives, unread."""
    size = request.content_length or 0
    check = checking.Check(text="")
    check.findings.append(
        checking._finding(
            Problem("FE003", Location("upload.yaml", 1, 1), {"size": size, "limit": MAX_BYTES}),
            "upload.yaml",
            "upload.yaml",
        )
    )
    _log("form_upload", f"? refused: {size} bytes")
    return render_template(
        "authoring/new.html",
        form=FlaskForm(formdata=None),
        check=check,
        text="",
        limit=MAX_BYTES,
        lines=[],
        by_line=check.by_line(),
        title=_("Upload a form version"),
    ), 413


def _upload():
    upload = request.files.get("file")
    raw = upload.read(MAX_BYTES + 1) if upload is not None and upload.filename else b""
    for handle in request.files.values():
        handle.close()
    if not raw:
        raw = request.form.get("text", "").replace("\r\n", "\n").encode("utf-8", "surrogatepass")
    check = checking.check_upload(raw, _municipality())
    ref = f"{check.form_id}@{check.version}" if check.form_id else "?"
    if check.ok:
        try:
            storage.save_new(check.form_id, check.version, check.text)
        except storage.StorageError:
            check.exists = True
            check.findings.append(checking.Finding(REFUSED["exists"]()))
        else:
            _log("form_upload", f"{ref} saved")
            return redirect(
                url_for("authoring.version", form_id=check.form_id, version=check.version, saved=1), code=303
            )
    _log("form_upload", f"{ref} refused: {len(check.errors)} errors")
    # a text of ordinary size comes back in the text box to be fixed; a huge one (a bomb) does not
    echo = check.text if len(check.text) <= ECHO_LIMIT else ""
    return render_template(
        "authoring/new.html",
        form=FlaskForm(),
        check=check,
        text=echo,
        limit=MAX_BYTES,
        lines=shown_lines(check.text.splitlines(), check.by_line()),
        by_line=check.by_line(),
        title=_("Upload a form version"),
    ), 400


@bp.get("/<form_id>/<version>")
def version(form_id: str, version: str):
    defn = info.own_version(form_id, version, _municipality())
    _log("form_view", defn.key)
    municipal, published = info.is_municipal(defn), info.is_published(defn)
    return render_template(
        "authoring/version.html",
        defn=defn,
        lang=form_language(defn),
        status=info.file_status(defn),
        published=published,
        municipal=municipal,
        editable=municipal and not published,
        comparison=info.compare(defn),
        form=FlaskForm(),
        saved=request.args.get("saved") == "1",
        done=request.args.get("done"),
        in_use=registry().latest_active(defn.id) == defn,
        warnings=info.file_problems(defn),
        title=_("%(id)s, version %(version)s", id=defn.id, version=defn.version),
    )


@bp.get("/<form_id>/<version>/summary.pdf")
def summary_pdf(form_id: str, version: str):
    defn = info.own_version(form_id, version, _municipality())
    meta = {
        "municipality": defn.municipality.name if defn.municipality else "",
        "case_ref": _("EXAMPLE"),
        "submitted_at": dt.datetime.now(dt.UTC),
        "conversation_only": [],
    }
    data = summary.render_summary_pdf(
        defn, sample_answers(defn, 0), lang=form_language(defn), copy="meeting", meta=meta
    )
    _log("form_pdf_preview", defn.key)
    return pdf_response(data, f"{defn.id}-{defn.version}-eksempel.pdf")


@bp.get("/<form_id>/<version>/blank.pdf")
def blank_pdf(form_id: str, version: str):
    defn = info.own_version(form_id, version, _municipality())
    data = summary.render_blank_pdf(defn, lang=form_language(defn))
    _log("print_blank", defn.key)
    return pdf_response(data, f"{defn.id}-{defn.version}.pdf")


def _editable(form_id: str, version: str):
    defn = info.own_version(form_id, version, _municipality())
    if not defn.municipality or not info.is_municipal(defn):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return defn


@bp.post("/<form_id>/<version>/publish")
def publish(form_id: str, version: str):
    defn = _editable(form_id, version)
    if request.form.get("confirm") != "yes":
        return _version_error(defn, _("Tick the box to confirm that you want to publish this version."))
    comparison = info.compare(defn)
    if comparison is not None and comparison.too_low:  # no override: the number must fit the change
        _log("form_publish", f"{defn.key} refused: too_low")
        return _version_error(
            defn,
            REFUSED["too_low"](),
            [
                _(
                    "This version is %(version)s, but the changes need at least %(needed)s.",
                    version=defn.version,
                    needed=comparison.needed,
                )
            ],
        )
    left = info.placeholders(defn)
    if left:
        _log("form_publish", f"{defn.key} refused: placeholders")
        return _version_error(
            defn,
            REFUSED["placeholders"](),
            [_("Line %(line)d: %(text)s", line=n, text=text) for n, text in left[:20]],
        )
    try:
        storage.publish(defn.id, defn.version)
    except storage.StorageError as exc:
        _log("form_publish", f"{defn.key} refused: {exc.reason}")
        return _version_error(
            defn, REFUSED[exc.reason](), [p.format_in(current_language()) for p in exc.problems]
        )
    _log("form_publish", defn.key)
    return redirect(
        url_for("authoring.version", form_id=form_id, version=version, done="published"), code=303
    )


@bp.post("/<form_id>/<version>/retire")
def retire(form_id: str, version: str):
    """Stop using a published version for new fillings; answers given in it still show and print."""
    defn = info.own_version(form_id, version, _municipality())
    if not defn.municipality or not info.is_municipal(defn):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "yes":
        return _version_error(defn, _("Tick the box to confirm that you want to retire this version."))
    try:
        storage.retire(defn.id, defn.version)
    except storage.StorageError as exc:
        _log("form_retire", f"{defn.key} refused: {exc.reason}")
        return _version_error(defn, REFUSED[exc.reason]())
    _log("form_retire", defn.key)
    return redirect(url_for("authoring.version", form_id=form_id, version=version, done="retired"), code=303)


@bp.post("/<form_id>/<version>/delete")
def delete(form_id: str, version: str):
    defn = _editable(form_id, version)
    try:
        storage.delete_draft(defn.id, defn.version)
    except storage.StorageError as exc:
        _log("form_delete", f"{defn.key} refused: {exc.reason}")
        return _version_error(defn, REFUSED[exc.reason]())
    _log("form_delete", defn.key)
    # the notice travels in the signed session, not the URL: no page echoes request parameters
    flash(defn.key, "deleted")
    return redirect(url_for("authoring.index"), code=303)


def _version_error(defn, message: str, details: list[str] | None = None):
    defn = registry().get(defn.id, defn.version)  # the registry may have been reloaded
    return render_template(
        "authoring/version.html",
        defn=defn,
        lang=form_language(defn),
        status=info.file_status(defn),
        published=info.is_published(defn),
        municipal=info.is_municipal(defn),
        editable=info.is_municipal(defn) and not info.is_published(defn),
        comparison=info.compare(defn),
        form=FlaskForm(),
        error=message,
        details=details or [],
        saved=False,
        done=None,
        in_use=registry().latest_active(defn.id) == defn,
        warnings=info.file_problems(defn),
        title=_("%(id)s, version %(version)s", id=defn.id, version=defn.version),
    ), 400

"""The municipality's catalogue in a form: need domains, contact points and local offers."""
from __future__ import annotations

from typing import TYPE_CHECKING

from formengine.definition.model import Contact, Domain, Offer

if TYPE_CHECKING:  # pragma: no cover
    from formengine.definition.builder.validation import Builder


def domains(b: "Builder", data: dict) -> tuple[Domain, ...]:
    """Read the need domains that scales, offers and priorities link to."""
    out = []
    for path, entry in b._list_of_maps(data, "domains"):
        b.keys(entry, path, ("id", "label"), "a domain", required=("id", "label"))
        ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        if ident and ident in b.domain_ids:
            b.error("FE105", path + ("id",), id=ident, first_line=b.doc.loc(path).line)
        elif ident:
            b.domain_ids.add(ident)
            out.append(Domain(ident, b.text(entry, "label", path, f"domain '{ident}'")))
    return tuple(out)


def contacts(b: "Builder", data: dict) -> tuple[Contact, ...]:
    """Read the contact points shown on the receipt and in the summary."""
    out = []
    for path, entry in b._list_of_maps(data, "contacts"):
        b.keys(entry, path, ("id", "name", "phone", "email", "hours", "crisis"), "a contact", required=("id", "name"))
        ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        if ident:
            out.append(Contact(ident, b.text(entry, "name", path, f"contact '{ident}'"),
                               str(entry.get("phone", "")), str(entry.get("email", "")),
                               b.text(entry, "hours", path, f"contact '{ident}'"),
                               b.boolean(entry, "crisis", path)))
    return tuple(out)


def offers(b: "Builder", data: dict, contact_ids: set[str]) -> tuple[Offer, ...]:
    """Read the local offers; each links to need domains and optionally a contact."""
    out = []
    for path, entry in b._list_of_maps(data, "offers"):
        b.keys(entry, path, ("id", "title", "description", "contact", "domains", "url"), "an offer",
                  required=("id", "title", "domains"))
        ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        contact = entry.get("contact")
        if contact is not None and contact not in contact_ids:
            b.error("FE130", path + ("contact",), contact=contact)
        domains = b.domain_list(entry.get("domains") or [], path + ("domains",))
        url = str(entry.get("url", ""))
        if url and not url.startswith(("https://", "http://")):
            b.error("FE128", path + ("url",), url=url)
        if ident:
            out.append(Offer(ident, b.text(entry, "title", path, f"offer '{ident}'"),
                             b.text(entry, "description", path, f"offer '{ident}'"),
                             contact, domains, url))
    return tuple(out)

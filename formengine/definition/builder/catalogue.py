"""The municipality's catalogue in a form: need domains, contact points and local offers.

:class:`CatalogueReader` is one declared part of the
:class:`~formengine.definition.builder.validation.Builder`; it owns the set of known domain ids
that items, scales and offers link to.
"""

from __future__ import annotations

from typing import Any

from formengine.definition.builder.texts import Checker
from formengine.definition.loader import Document
from formengine.definition.model import Contact, Domain, Offer
from formengine.errors.problems import suggest


class CatalogueReader(Checker):
    """Reads ``domains``, ``contacts`` and ``offers``, and checks links to the domains."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.domain_ids: set[str] = set()

    def domains(self, data: dict[str, Any]) -> tuple[Domain, ...]:
        """Read the need domains that scales, offers and priorities link to (and remember their ids)."""
        self.domain_ids = set()
        out = []
        for path, entry in self.list_of_maps(data, "domains"):
            self.keys(entry, path, ("id", "label"), "a domain", required=("id", "label"))
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            if ident and ident in self.domain_ids:
                self.error("FE105", path + ("id",), id=ident, first_line=self.doc.loc(path).line)
            elif ident:
                self.domain_ids.add(ident)
                out.append(Domain(ident, self.text(entry, "label", path, f"domain '{ident}'")))
        return tuple(out)

    def contacts(self, data: dict[str, Any]) -> tuple[Contact, ...]:
        """Read the contact points shown on the receipt and in the summary."""
        out = []
        for path, entry in self.list_of_maps(data, "contacts"):
            self.keys(
                entry,
                path,
                ("id", "name", "phone", "email", "hours", "crisis"),
                "a contact",
                required=("id", "name"),
            )
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            if ident:
                out.append(
                    Contact(
                        ident,
                        self.text(entry, "name", path, f"contact '{ident}'"),
                        str(entry.get("phone", "")),
                        str(entry.get("email", "")),
                        self.text(entry, "hours", path, f"contact '{ident}'"),
                        self.boolean(entry, "crisis", path),
                    )
                )
        return tuple(out)

    def offers(self, data: dict[str, Any], contact_ids: set[str]) -> tuple[Offer, ...]:
        """Read the local offers; each links to need domains and optionally a contact."""
        out = []
        for path, entry in self.list_of_maps(data, "offers"):
            self.keys(
                entry,
                path,
                ("id", "title", "description", "contact", "domains", "url"),
                "an offer",
                required=("id", "title", "domains"),
            )
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            contact = entry.get("contact")
            if contact is not None and contact not in contact_ids:
                self.error("FE130", path + ("contact",), contact=contact)
            domains = self.domain_list(entry.get("domains") or [], path + ("domains",))
            url = str(entry.get("url", ""))
            if url and not url.startswith(("https://", "http://")):
                self.error("FE128", path + ("url",), url=url)
            if ident:
                out.append(
                    Offer(
                        ident,
                        self.text(entry, "title", path, f"offer '{ident}'"),
                        self.text(entry, "description", path, f"offer '{ident}'"),
                        contact,
                        domains,
                        url,
                    )
                )
        return tuple(out)

    def domain_list(self, value: Any, path: tuple[Any, ...]) -> tuple[str, ...]:
        """A list of domain ids, each checked against the form's domains (with a suggestion)."""
        if self.sequence(value, path, "domains") is None:
            return ()
        for i, domain in enumerate(value):
            if domain not in self.domain_ids:
                self.error(
                    "FE129", path + (i,), domain=domain, suggestion=suggest(str(domain), self.domain_ids)
                )
        return tuple(str(d) for d in value)

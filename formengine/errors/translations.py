"""Bokmål and nynorsk texts for the error catalogue in :mod:`formengine.errors.problems`.

The readers are municipal form administrators, not programmers: each message says what is wrong,
each hint says what to do. Technical names (YAML keys such as ``options``, codes, ``FORM@VERSION``,
values such as ``draft``) stay as they are written in the form file.

Every code in ``CATALOGUE`` has a text here with exactly the same ``{placeholders}`` as the English
template (tests/formengine/test_errors_i18n.py checks this). The phrases the checks put into
``{where}``, ``{expected}`` and ``{actual}`` are translated by :func:`phrase_in`; ``{suggestion}`` is
rendered per language by :meth:`formengine.errors.problems.Problem.message_in` from :data:`SUGGESTION`.
"""
from __future__ import annotations

import re

# How a :class:`formengine.errors.problems.Suggestion` reads in each language.
SUGGESTION: dict[str, str] = {
    "nb": " (mente du '{candidate}'?)",
    "nn": " (meinte du '{candidate}'?)",
}

# Prefix of a warning in Problem.format_in (English: "warning: ").
WARNING_PREFIX: dict[str, str] = {
    "nb": "advarsel: ",
    "nn": "åtvaring: ",
}

TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "nb": {
        # Fil og YAML (FE0xx)
        "FE001": ("Filen kan ikke leses: {reason}", "Sjekk at filnavnet og mappen er riktige, og at du har tilgang til filen"),
        "FE002": ("Filen er ikke lagret som UTF-8 (byte {byte} ved posisjon {offset})", "Lagre filen på nytt med tegnkodingen UTF-8"),
        "FE003": ("Filen er for stor ({size} byte; høyst {limit})", "Del opp skjemaet, eller fjern tekst som ikke brukes"),
        "FE004": ("Feil i YAML-oppsettet: {problem}", "Se etter feil i innrykk, kolon og anførselstegn like ved dette stedet"),
        "FE005": ("Et tabulatortegn er brukt til innrykk", "Bruk bare mellomrom til innrykk, aldri tabulator"),
        "FE006": ("Nøkkelen '{key}' står to ganger (første gang på linje {first_line})", "Fjern den ene, eller gi den et annet navn"),
        "FE007": ("For mange YAML-ankere eller -aliaser ({count}; høyst {limit})", "Skriv verdiene ut i stedet for å bruke ankere (&) og aliaser (*)"),
        "FE008": ("YAML-merket '{tag}' er ikke tillatt", "Fjern merket; skjemaer bruker bare vanlig YAML"),
        "FE009": ("Øverst i filen må det stå nøkler med verdier (nøkkel: verdi)", "Begynn filen med 'id:', 'version:' …"),
        "FE010": ("Filen er tom", "Skriv eller lim inn skjemaet i filen"),
        "FE011": ("Filen inneholder mer enn ett YAML-dokument", "Ha bare én skjemaversjon i hver fil"),
        "FE012": ("Strukturen har for mange nivåer ({depth}; høyst {limit})", "Gjør strukturen flatere, med færre nivåer av innrykk"),
        "FE013": ('Tallet {value} er uendelig eller for stort (høyst {limit} i størrelse)', 'Skriv et vanlig tall'),
        "FE014": ('For mange verdier i én fil ({count}; høyst {limit})', 'Del opp skjemaet, eller gjør lange lister kortere'),
        # Oppbygning (FE1xx)
        "FE101": ("Nøkkelen '{key}' mangler, men må være med ({where})", "Legg til '{key}:'"),
        "FE102": ("Nøkkelen '{key}' finnes ikke her ({where}){suggestion}", "Fjern den, eller rett skrivefeilen"),
        "FE103": ("'{key}' må være {expected}, ikke {actual}", "Endre verdien til {expected}"),
        "FE104": ("Spørsmålstypen '{type}' finnes ikke{suggestion}", "Bruk en av disse typene: {known}"),
        "FE105": ("Id-en '{id}' er brukt før (første gang på linje {first_line})", "Hver id kan bare brukes én gang i hele skjemaet"),
        "FE106": ("Id-en '{id}' er ugyldig: {rule}", "Bruk bare små bokstaver, sifre og {sep}"),
        "FE107": ("Versjonsnummeret '{version}' er ugyldig", "Skriv versjonen som tre tall med punktum mellom (MAJOR.MINOR.PATCH), for eksempel 1.0.0"),
        "FE108": ("Statusen '{status}' er ugyldig", "Bruk draft, active eller retired"),
        "FE109": ("Språket '{lang}' er ikke blant skjemaets språk {languages}", "Legg det til under 'languages', eller fjern teksten"),
        "FE110": ("Teksten på '{lang}' mangler ({where})", "Skriv oversettelsen"),
        "FE111": ("Et svaralternativ mangler 'value'", "Gi hvert svaralternativ en verdi, for eksempel value: yes"),
        "FE112": ("Poengsummen '{score}' er ikke et tall", "Skriv poengsummen som et tall, for eksempel score: 2"),
        "FE113": ("Svaralternativet '{value}' står to ganger", "Hvert svaralternativ i et spørsmål må ha sin egen verdi"),
        "FE114": ("min ({min}) er større enn max ({max})", "Bytt om grensene, eller rett dem"),
        "FE115": ("Spørsmålstypen '{type}' trenger svaralternativer", "Legg til 'options:', eller skriv navnet på et sett med svaralternativer"),
        "FE116": ("Settet med svaralternativer '{name}' finnes ikke{suggestion}", "Lag det under 'option_sets'"),
        "FE117": ("{key} '{value}' stemmer ikke med hvor filen ligger (ventet '{expected}')", "Gi filen nytt navn, eller rett {key}"),
        "FE118": ("Standardspråket '{lang}' er ikke med i 'languages'", "Legg det til under 'languages'"),
        "FE119": ("Nøkkelen '{key}' er ikke tillatt for spørsmålstypen '{type}'", "Fjern den"),
        "FE120": ("Teksten er tom ({where})", "Skriv teksten, eller fjern nøkkelen"),
        "FE121": ("Språkkoden '{lang}' er ugyldig", "Bruk nb, nn, en eller se"),
        "FE122": ("Verdien '{value}' for svaralternativet er ugyldig", "Bruk bare små bokstaver, sifre og _"),
        "FE123": ("Datoen '{value}' er ugyldig", "Skriv datoer som ÅÅÅÅ-MM-DD, eller 'today'"),
        "FE124": ("En del må ha minst ett spørsmål", "Legg til spørsmål, eller fjern delen"),
        "FE125": ("Et yes_no-spørsmål må ha svaralternativene yes og no (og eventuelt ett for «ikke aktuelt»)", "Bruk value: yes og value: no"),
        "FE126": ("Skjematypen (kind) '{kind}' er ugyldig", "Bruk assessment, agreement eller followup"),
        "FE127": ("En gruppe som gjentas (repeat), kan ikke inneholde en annen slik gruppe", "Flytt spørsmålene ut, slik at det bare er ett nivå med gjentakelse"),
        "FE128": ("Lenken '{url}' i teksten er ikke trygg", "Lenker må begynne med https://, http:// eller mailto:"),
        "FE129": ("Området '{domain}' finnes ikke{suggestion}", "Lag det under 'domains'"),
        "FE130": ("Kontakten '{contact}' finnes ikke", "Lag den under 'contacts'"),
        "FE131": ('{key} {value} er utenfor det tillatte (høyst {limit} i størrelse)', 'Bruk et mindre tall'),
        "FE132": ('{key} {value} gjør at spørsmålet aldri kan besvares (det må være minst {least})', "Bruk {least} eller mer, eller ta bort '{key}'"),
        "FE133": ('Et matrix-spørsmål trenger minst én rad', 'Legg til rader eller ta bort spørsmålet'),
        # Uttrykk (FE2xx)
        "FE201": ("Feil i uttrykket: {problem}", "Sjekk operatorene, anførselstegnene og parentesene"),
        "FE202": ("Uttrykket viser til '{name}', som ikke finnes{suggestion}", "Vis til id-en til et spørsmål i dette skjemaet"),
        "FE203": ("Funksjonen '{name}' finnes ikke, eller har feil antall argumenter", "Bruk count(x), answered(x), sum(x), min(…) eller max(…)"),
        "FE204": ("'{value}' er ikke et svaralternativ i '{item}'", "Sammenlign med ett av disse: {options}"),
        "FE205": ("'{name}' viser til seg selv i show_if", "Vilkåret for et spørsmål må avhenge av andre spørsmål"),
        "FE206": ("'value' kan bare brukes i en constraint", "Vis til spørsmålet med id-en"),
        "FE207": ('show_if-vilkårene avhenger av hverandre i en ring: {cycle}', 'La ett av dem avhenge av et spørsmål utenfor ringen'),
        "FE208": ('Deling på null: denne delen av uttrykket har ingen verdi, så vilkåret kan aldri bli sant', 'Del på et annet tall eller ta bort delingen'),
        # Versjoner og varianter (FE3xx)
        "FE301": ("Den publiserte versjonen {form}@{version} er endret (hash {actual}, publisert {expected})", "Lag en ny versjon i stedet; en publisert versjon kan aldri endres"),
        "FE302": ("'{target}' kan ikke brukes som grunnlag: {reason}", "Skriv en FORM@VERSION som finnes, under 'extends'"),
        "FE303": ("Målet for endringen, '{target}', finnes ikke{suggestion}", "Skriv id-en til et spørsmål eller en del som finnes"),
        "FE304": ("'{target}' kan ikke skjules: {reason}", "Nasjonale spørsmål som gir poeng eller må besvares, må være med, slik at svarene kan sammenlignes"),
        "FE305": ("Den nasjonale poengberegningen kan ikke endres: {reason}", "Lag heller en ny skala over deres egne spørsmål"),
        "FE306": ("{form}@{version} er definert mer enn én gang ({other})", "Ha bare én fil for hver versjon"),
        "FE307": ("Endringen '{op}' finnes ikke{suggestion}", "Bruk add_items, add_section, set_text eller hide"),
        "FE308": ("Endringen må ha nøyaktig én av 'after' og 'before'", "Skriv hvor det nye skal settes inn"),
        "FE309": ("Skjemaet {form}@{version} finnes ikke", "Kjør 'formengine list' for å se skjemaene"),
        "FE310": ("{form}@{version} kan ikke publiseres: {reason}", "Rett problemene, og prøv igjen"),
        "FE311": ("En variant bygger på en annen variant ('{target}')", "Bygg på det nasjonale kjerneskjemaet i stedet"),
        # Poeng (FE4xx)
        "FE401": ("'{item}' på skalaen er ikke et spørsmål eller en matriserad i dette skjemaet", "Skriv id-ene til spørsmålene som gir poeng (en matriserad skrives matrise-id.rad-id)"),
        "FE402": ("Spørsmålet '{item}' kan ikke gi poeng (typen er {type}, eller svaralternativene mangler poeng)", "Gi svaralternativene poeng (score)"),
        "FE403": ("Grensene for nivåene må øke (nivået '{band}')", "Sett nivåene i rekkefølge fra lavest til høyest"),
        "FE404": ("min_answered må være et helt tall (1 eller mer) eller en brøk mellom 0 og 1", "For eksempel min_answered: 3 eller min_answered: 0.5"),
        "FE405": ("Matrisene som sammenlignes, har ikke de samme radene ({a} og {b})", "Bruk matriser med nøyaktig de samme radene"),
        "FE406": ("'{item}' er ikke et prioriteringsspørsmål", "La 'priorities' vise til et spørsmål av typen priority"),
        "FE407": ("Det høyeste nivået skal være uten max, og alle de andre skal ha max", "Ta bort 'max' bare fra det høyeste nivået"),
        "FE408": ("'{name}' under 'weights' eller 'reverse' er ikke et spørsmål på denne skalaen", "Før bare opp spørsmålene som er med på skalaen"),
        # Svar (FE5xx)
        "FE501": ("Spørsmålet '{item}' i svarene finnes ikke", "Bruk id-ene til spørsmålene i skjemaet"),
        "FE502": ("'{value}' er ikke et svaralternativ i '{item}'", "Bruk ett av disse: {options}"),
        "FE503": ("Svaret på '{item}' må være {expected}", "Endre verdien til {expected}"),
        "FE504": ("Svaret på '{item}' er utenfor grensene ({detail})", "Gi en verdi innenfor grensene"),
        "FE505": ("Svarene hører til {got}, ikke {expected}", "Regn ut poeng med den skjemaversjonen svarene ble fylt ut i"),
        "FE506": ("For mange valg i '{item}' (høyst {max})", "Fjern noen av valgene"),
        "FE507": ("Svarfilen er ugyldig: {reason}", "Se docs/format.md for hvordan ANSWERS.json skal se ut"),
    },
    "nn": {
        # Fil og YAML (FE0xx)
        "FE001": ("Fila kan ikkje lesast: {reason}", "Sjekk at filnamnet og mappa er rette, og at du har tilgang til fila"),
        "FE002": ("Fila er ikkje lagra som UTF-8 (byte {byte} ved posisjon {offset})", "Lagre fila på nytt med teiknkodinga UTF-8"),
        "FE003": ("Fila er for stor ({size} byte; høgst {limit})", "Del opp skjemaet, eller fjern tekst som ikkje blir brukt"),
        "FE004": ("Feil i YAML-oppsettet: {problem}", "Sjå etter feil i innrykk, kolon og hermeteikn like ved denne staden"),
        "FE005": ("Eit tabulatorteikn er brukt til innrykk", "Bruk berre mellomrom til innrykk, aldri tabulator"),
        "FE006": ("Nøkkelen '{key}' står to gonger (første gong på linje {first_line})", "Fjern den eine, eller gi den eit anna namn"),
        "FE007": ("For mange YAML-ankrar eller -aliasar ({count}; høgst {limit})", "Skriv verdiane ut i staden for å bruke ankrar (&) og aliasar (*)"),
        "FE008": ("YAML-merket '{tag}' er ikkje tillate", "Fjern merket; skjema bruker berre vanleg YAML"),
        "FE009": ("Øvst i fila må det stå nøklar med verdiar (nøkkel: verdi)", "Start fila med 'id:', 'version:' …"),
        "FE010": ("Fila er tom", "Skriv eller lim inn skjemaet i fila"),
        "FE011": ("Fila inneheld meir enn eitt YAML-dokument", "Ha berre éin skjemaversjon i kvar fil"),
        "FE012": ("Strukturen har for mange nivå ({depth}; høgst {limit})", "Gjer strukturen flatare, med færre nivå av innrykk"),
        "FE013": ('Talet {value} er uendeleg eller for stort (høgst {limit} i storleik)', 'Skriv eit vanleg tal'),
        "FE014": ('For mange verdiar i éi fil ({count}; høgst {limit})', 'Del opp skjemaet, eller gjer lange lister kortare'),
        # Oppbygging (FE1xx)
        "FE101": ("Nøkkelen '{key}' manglar, men må vere med ({where})", "Legg til '{key}:'"),
        "FE102": ("Nøkkelen '{key}' finst ikkje her ({where}){suggestion}", "Fjern den, eller rett skrivefeilen"),
        "FE103": ("'{key}' må vere {expected}, ikkje {actual}", "Endre verdien til {expected}"),
        "FE104": ("Spørsmålstypen '{type}' finst ikkje{suggestion}", "Bruk ein av desse typane: {known}"),
        "FE105": ("Id-en '{id}' er brukt før (første gong på linje {first_line})", "Kvar id kan berre brukast éin gong i heile skjemaet"),
        "FE106": ("Id-en '{id}' er ugyldig: {rule}", "Bruk berre små bokstavar, siffer og {sep}"),
        "FE107": ("Versjonsnummeret '{version}' er ugyldig", "Skriv versjonen som tre tal med punktum mellom (MAJOR.MINOR.PATCH), til dømes 1.0.0"),
        "FE108": ("Statusen '{status}' er ugyldig", "Bruk draft, active eller retired"),
        "FE109": ("Språket '{lang}' er ikkje blant språka i skjemaet {languages}", "Legg det til under 'languages', eller fjern teksten"),
        "FE110": ("Teksten på '{lang}' manglar ({where})", "Skriv omsetjinga"),
        "FE111": ("Eit svaralternativ manglar 'value'", "Gi kvart svaralternativ ein verdi, til dømes value: yes"),
        "FE112": ("Poengsummen '{score}' er ikkje eit tal", "Skriv poengsummen som eit tal, til dømes score: 2"),
        "FE113": ("Svaralternativet '{value}' står to gonger", "Kvart svaralternativ i eit spørsmål må ha sin eigen verdi"),
        "FE114": ("min ({min}) er større enn max ({max})", "Byt om grensene, eller rett dei"),
        "FE115": ("Spørsmålstypen '{type}' treng svaralternativ", "Legg til 'options:', eller skriv namnet på eit sett med svaralternativ"),
        "FE116": ("Settet med svaralternativ '{name}' finst ikkje{suggestion}", "Lag det under 'option_sets'"),
        "FE117": ("{key} '{value}' stemmer ikkje med kvar fila ligg (venta '{expected}')", "Gi fila nytt namn, eller rett {key}"),
        "FE118": ("Standardspråket '{lang}' er ikkje med i 'languages'", "Legg det til under 'languages'"),
        "FE119": ("Nøkkelen '{key}' er ikkje tillaten for spørsmålstypen '{type}'", "Fjern den"),
        "FE120": ("Teksten er tom ({where})", "Skriv teksten, eller fjern nøkkelen"),
        "FE121": ("Språkkoden '{lang}' er ugyldig", "Bruk nb, nn, en eller se"),
        "FE122": ("Verdien '{value}' for svaralternativet er ugyldig", "Bruk berre små bokstavar, siffer og _"),
        "FE123": ("Datoen '{value}' er ugyldig", "Skriv datoar som ÅÅÅÅ-MM-DD, eller 'today'"),
        "FE124": ("Ein del må ha minst eitt spørsmål", "Legg til spørsmål, eller fjern delen"),
        "FE125": ("Eit yes_no-spørsmål må ha svaralternativa yes og no (og eventuelt eitt for «ikkje aktuelt»)", "Bruk value: yes og value: no"),
        "FE126": ("Skjematypen (kind) '{kind}' er ugyldig", "Bruk assessment, agreement eller followup"),
        "FE127": ("Ei gruppe som blir gjenteken (repeat), kan ikkje innehalde ei anna slik gruppe", "Flytt spørsmåla ut, slik at det berre er eitt nivå med gjentaking"),
        "FE128": ("Lenkja '{url}' i teksten er ikkje trygg", "Lenkjer må byrje med https://, http:// eller mailto:"),
        "FE129": ("Området '{domain}' finst ikkje{suggestion}", "Lag det under 'domains'"),
        "FE130": ("Kontakten '{contact}' finst ikkje", "Lag den under 'contacts'"),
        "FE131": ('{key} {value} er utanfor det som er tillate (høgst {limit} i storleik)', 'Bruk eit mindre tal'),
        "FE132": ('{key} {value} gjer at spørsmålet aldri kan svarast på (det må vere minst {least})', "Bruk {least} eller meir, eller ta bort '{key}'"),
        "FE133": ('Eit matrix-spørsmål treng minst éin rad', 'Legg til rader eller ta bort spørsmålet'),
        # Uttrykk (FE2xx)
        "FE201": ("Feil i uttrykket: {problem}", "Sjekk operatorane, hermeteikna og parentesane"),
        "FE202": ("Uttrykket viser til '{name}', som ikkje finst{suggestion}", "Vis til id-en til eit spørsmål i dette skjemaet"),
        "FE203": ("Funksjonen '{name}' finst ikkje, eller har feil tal på argument", "Bruk count(x), answered(x), sum(x), min(…) eller max(…)"),
        "FE204": ("'{value}' er ikkje eit svaralternativ i '{item}'", "Samanlikn med eitt av desse: {options}"),
        "FE205": ("'{name}' viser til seg sjølv i show_if", "Vilkåret for eit spørsmål må vere avhengig av andre spørsmål"),
        "FE206": ("'value' kan berre brukast i ein constraint", "Vis til spørsmålet med id-en"),
        "FE207": ('show_if-vilkåra er avhengige av kvarandre i ein ring: {cycle}', 'La eitt av dei vere avhengig av eit spørsmål utanfor ringen'),
        "FE208": ('Deling på null: denne delen av uttrykket har ingen verdi, så vilkåret kan aldri bli sant', 'Del på eit anna tal eller ta bort delinga'),
        # Versjonar og variantar (FE3xx)
        "FE301": ("Den publiserte versjonen {form}@{version} er endra (hash {actual}, publisert {expected})", "Lag ein ny versjon i staden; ein publisert versjon kan aldri endrast"),
        "FE302": ("'{target}' kan ikkje brukast som grunnlag: {reason}", "Skriv ein FORM@VERSION som finst, under 'extends'"),
        "FE303": ("Målet for endringa, '{target}', finst ikkje{suggestion}", "Skriv id-en til eit spørsmål eller ein del som finst"),
        "FE304": ("'{target}' kan ikkje gøymast: {reason}", "Nasjonale spørsmål som gir poeng eller må svarast på, må vere med, slik at svara kan samanliknast"),
        "FE305": ("Den nasjonale poengutrekninga kan ikkje endrast: {reason}", "Lag heller ein ny skala over dykkar eigne spørsmål"),
        "FE306": ("{form}@{version} er definert meir enn éin gong ({other})", "Ha berre éi fil for kvar versjon"),
        "FE307": ("Endringa '{op}' finst ikkje{suggestion}", "Bruk add_items, add_section, set_text eller hide"),
        "FE308": ("Endringa må ha nøyaktig éin av 'after' og 'before'", "Skriv kvar det nye skal setjast inn"),
        "FE309": ("Skjemaet {form}@{version} finst ikkje", "Køyr 'formengine list' for å sjå skjemaa"),
        "FE310": ("{form}@{version} kan ikkje publiserast: {reason}", "Rett problema, og prøv igjen"),
        "FE311": ("Ein variant byggjer på ein annan variant ('{target}')", "Byggj på det nasjonale kjerneskjemaet i staden"),
        # Poeng (FE4xx)
        "FE401": ("'{item}' på skalaen er ikkje eit spørsmål eller ei matriserad i dette skjemaet", "Skriv id-ane til spørsmåla som gir poeng (ei matriserad skriv du matrise-id.rad-id)"),
        "FE402": ("Spørsmålet '{item}' kan ikkje gi poeng (typen er {type}, eller svaralternativa manglar poeng)", "Gi svaralternativa poeng (score)"),
        "FE403": ("Grensene for nivåa må auke (nivået '{band}')", "Set nivåa i rekkjefølgje frå lågast til høgast"),
        "FE404": ("min_answered må vere eit heilt tal (1 eller meir) eller ein brøk mellom 0 og 1", "Til dømes min_answered: 3 eller min_answered: 0.5"),
        "FE405": ("Matrisene som blir samanlikna, har ikkje dei same radene ({a} og {b})", "Bruk matriser med nøyaktig dei same radene"),
        "FE406": ("'{item}' er ikkje eit prioriteringsspørsmål", "La 'priorities' vise til eit spørsmål av typen priority"),
        "FE407": ("Det høgaste nivået skal vere utan max, og alle dei andre skal ha max", "Ta bort 'max' berre frå det høgaste nivået"),
        "FE408": ("'{name}' under 'weights' eller 'reverse' er ikkje eit spørsmål på denne skalaen", "Før berre opp spørsmåla som er med på skalaen"),
        # Svar (FE5xx)
        "FE501": ("Spørsmålet '{item}' i svara finst ikkje", "Bruk id-ane til spørsmåla i skjemaet"),
        "FE502": ("'{value}' er ikkje eit svaralternativ i '{item}'", "Bruk eitt av desse: {options}"),
        "FE503": ("Svaret på '{item}' må vere {expected}", "Endre verdien til {expected}"),
        "FE504": ("Svaret på '{item}' er utanfor grensene ({detail})", "Gi ein verdi innanfor grensene"),
        "FE505": ("Svara høyrer til {got}, ikkje {expected}", "Rekn ut poeng med den skjemaversjonen svara vart fylte ut i"),
        "FE506": ("For mange val i '{item}' (høgst {max})", "Fjern nokre av vala"),
        "FE507": ("Svarfila er ugyldig: {reason}", "Sjå docs/format.md for korleis ANSWERS.json skal sjå ut"),
    },
}


# Phrases the checks put into {where}, {expected} and {actual} (English in the code), as
# bokmål and nynorsk. Ids inside quotes are kept as written.
PHRASES: dict[str, tuple[str, str]] = {
    "the form": ("skjemaet", "skjemaet"),
    "a section": ("en del", "ein del"),
    "an item": ("et spørsmål", "eit spørsmål"),
    "a matrix item": ("et matrisespørsmål", "eit matrisespørsmål"),
    "a matrix row": ("en rad i en matrise", "ei rad i ei matrise"),
    "an option": ("et svaralternativ", "eit svaralternativ"),
    "a domain": ("et behovsområde", "eit behovsområde"),
    "a contact": ("et kontaktpunkt", "eit kontaktpunkt"),
    "an offer": ("et tilbud", "eit tilbod"),
    "an offer trigger": ("en tilbudsregel", "ein tilbodsregel"),
    "a scale": ("en skala", "ein skala"),
    "a band": ("et nivå", "eit nivå"),
    "a flag": ("et varsel", "eit varsel"),
    "a gap": ("et avvik", "eit avvik"),
    "a variant": ("en variant", "ein variant"),
    "a list": ("en liste", "ei liste"),
    "a number": ("et tall", "eit tal"),
    "a whole number": ("et heltall", "eit heiltal"),
    "text": ("tekst", "tekst"),
    "empty": ("tom", "tom"),
    "true or false": ("true eller false", "true eller false"),
    "a mapping (key: value)": ("en oppføring (nøkkel: verdi)", "ei oppføring (nøkkel: verdi)"),
    "a text or a map of languages": ("en tekst, eller en tekst per språk", "ein tekst, eller ein tekst per språk"),
    "an id (text)": ("en id (tekst)", "ein id (tekst)"),
    "an expression (text)": ("et uttrykk (tekst)", "eit uttrykk (tekst)"),
    "a name (text)": ("et navn (tekst)", "eit namn (tekst)"),
    "sum or mean": ("sum eller mean", "sum eller mean"),
    "high, medium or info": ("high, medium eller info", "high, medium eller info"),
}
# "item 'x' …" → "spørsmålet 'x' …"
ENTITIES: dict[str, tuple[str, str]] = {
    "item": ("spørsmålet", "spørsmålet"), "section": ("delen", "delen"),
    "option": ("svaralternativet", "svaralternativet"), "row": ("raden", "rada"),
    "domain": ("behovsområdet", "behovsområdet"), "contact": ("kontaktpunktet", "kontaktpunktet"),
    "offer": ("tilbudet", "tilbodet"), "scale": ("skalaen", "skalaen"), "band": ("nivået", "nivået"),
    "flag": ("varselet", "varselet"), "gap": ("avviket", "avviket"),
}
_ENTITY = re.compile(r"^(" + "|".join(ENTITIES) + r") ('[^']*')(.*)$", re.S)
_TYPED_ITEM = re.compile(r"^a (\w+) item$")
_CHANGE = re.compile(r"^a ('[^']*') change$")


def phrase_in(text: str, lang: str) -> str:
    """Return an English phrase from a check in bokmål or nynorsk (unchanged if unknown)."""
    if lang not in ("nb", "nn") or not isinstance(text, str):
        return text
    i = 0 if lang == "nb" else 1
    if text in PHRASES:
        return PHRASES[text][i]
    if match := _ENTITY.match(text):
        return f"{ENTITIES[match.group(1)][i]} {match.group(2)}{match.group(3)}"
    if match := _TYPED_ITEM.match(text):
        return (f"et spørsmål av typen {match.group(1)}", f"eit spørsmål av typen {match.group(1)}")[i]
    if match := _CHANGE.match(text):
        return (f"en {match.group(1)}-endring", f"ei {match.group(1)}-endring")[i]
    return text

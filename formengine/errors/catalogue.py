"""The one catalogue of coded problems: code -> (message template, hint on how to fix it).

Templates use str.format(**args). The English texts are the msgids of the gettext domain
"formengine" (bokmål and nynorsk in locales/, see errors/translations.py).
"""

from __future__ import annotations

from formengine.i18n import N_

CATALOGUE: dict[str, tuple[str, str]] = {
    # File and YAML (FE0xx)
    "FE001": (N_("cannot read file: {reason}"), N_("check the path and the file permissions")),
    "FE002": (
        N_("the file is not valid UTF-8 (byte {byte} at offset {offset})"),
        N_("save the file as UTF-8"),
    ),
    "FE003": (
        N_("the file is too large ({size} bytes; at most {limit})"),
        N_("split the form or remove unused text"),
    ),
    "FE004": (N_("YAML syntax error: {problem}"), N_("check indentation, colons and quotes near this place")),
    "FE005": (N_("a tab character is used for indentation"), N_("indent with spaces only")),
    "FE006": (
        N_("duplicate key '{key}' (first defined at line {first_line})"),
        N_("remove or rename one of them"),
    ),
    "FE007": (
        N_("too many YAML aliases or anchors ({count}; at most {limit})"),
        N_("write the values out instead of using anchors"),
    ),
    "FE008": (N_("YAML tag '{tag}' is not allowed"), N_("remove the tag; forms use plain YAML only")),
    "FE009": (
        N_("the document must be a mapping (key: value) at the top"),
        N_("start the file with 'id:', 'version:' …"),
    ),
    "FE010": (N_("the file is empty"), N_("add a form definition")),
    "FE011": (N_("more than one YAML document in one file"), N_("keep one form version per file")),
    "FE012": (N_("the nesting is too deep ({depth}; at most {limit})"), N_("flatten the structure")),
    "FE013": (
        N_("the form could not be built, though no problem was found"),
        N_("report this to the developers and attach the file"),
    ),
    "FE014": (
        N_("too many values in one file ({count}; at most {limit})"),
        N_("split the form, or write long lists shorter"),
    ),
    "FE015": (
        N_("the number {value} is not finite or too large (at most {limit} in size)"),
        N_("write an ordinary number"),
    ),
    # Structure (FE1xx)
    "FE101": (N_("missing required key '{key}' in {where}"), N_("add '{key}:'")),
    "FE102": (N_("unknown key '{key}' in {where}{suggestion}"), N_("remove it or correct the spelling")),
    "FE103": (N_("'{key}' must be {expected}, not {actual}"), N_("change the value to {expected}")),
    "FE104": (N_("unknown item type '{type}'{suggestion}"), N_("use one of: {known}")),
    "FE105": (
        N_("duplicate id '{id}' (first used at line {first_line})"),
        N_("ids must be unique in the whole form"),
    ),
    "FE106": (N_("invalid id '{id}': {rule}"), N_("use lower-case letters, digits and {sep}")),
    "FE107": (
        N_("invalid version '{version}'"),
        N_("use semantic versioning: MAJOR.MINOR.PATCH, e.g. 1.0.0"),
    ),
    "FE108": (N_("invalid status '{status}'"), N_("use draft, active or retired")),
    "FE109": (
        N_("language '{lang}' is not one of the form's languages {languages}"),
        N_("add it to 'languages' or remove the text"),
    ),
    "FE110": (N_("missing '{lang}' text for {where}"), N_("add the translation")),
    "FE111": (N_("option without 'value'"), N_("give every option a value, e.g. value: yes")),
    "FE112": (N_("score '{score}' is not a number"), N_("write the score as a number, e.g. score: 2")),
    "FE113": (N_("duplicate option value '{value}'"), N_("option values must be unique within an item")),
    "FE114": (N_("min ({min}) is greater than max ({max})"), N_("swap or correct the limits")),
    "FE115": (N_("item type '{type}' needs options"), N_("add 'options:' or name an option set")),
    "FE116": (N_("unknown option set '{name}'{suggestion}"), N_("define it under 'option_sets'")),
    "FE117": (
        N_("{key} '{value}' does not match the file path (expected '{expected}')"),
        N_("rename the file or fix the {key}"),
    ),
    "FE118": (N_("default language '{lang}' is not in languages"), N_("add it to 'languages'")),
    "FE119": (N_("key '{key}' is not allowed for item type '{type}'"), N_("remove it")),
    "FE120": (N_("empty text for {where}"), N_("write the text or remove the key")),
    "FE121": (N_("invalid language code '{lang}'"), N_("use nb, nn, en or se")),
    "FE122": (N_("invalid option value '{value}'"), N_("use lower-case letters, digits and _")),
    "FE123": (N_("invalid date '{value}'"), N_("write dates as YYYY-MM-DD or 'today'")),
    "FE124": (N_("a section needs at least one item"), N_("add items or remove the section")),
    "FE125": (
        N_("yes_no options must have values yes and no (and optionally one 'not applicable')"),
        N_("use value: yes and value: no"),
    ),
    "FE126": (N_("invalid kind '{kind}'"), N_("use assessment, agreement or followup")),
    "FE127": (
        N_("groups and repeat groups are nested more than {limit} deep"),
        N_("move some items out of the innermost group"),
    ),
    "FE128": (
        N_("unsafe link target '{url}' in text"),
        N_("links must start with https://, http:// or mailto:"),
    ),
    "FE129": (N_("unknown domain '{domain}'{suggestion}"), N_("declare it under 'domains'")),
    "FE130": (N_("unknown contact '{contact}'"), N_("declare it under 'contacts'")),
    "FE131": (N_("{key} {value} is out of range (at most {limit} in size)"), N_("use a smaller number")),
    "FE132": (
        N_("{key} {value} makes the item impossible to answer (it must be at least {least})"),
        N_("use {least} or more, or leave '{key}' out"),
    ),
    "FE133": (N_("a matrix item needs at least one row"), N_("add rows or remove the item")),
    "FE141": (
        N_("option '{value}' names the group '{group}', which the item does not declare{suggestion}"),
        N_("declare it under the item's 'groups:' or correct the spelling"),
    ),
    "FE142": (
        N_("option '{value}' has no group, but other options of this item do"),
        N_("give every option a 'group:' once any option has one"),
    ),
    "FE143": (N_("group '{group}' has no options"), N_("move options into it or remove the group")),
    "FE144": (N_("duplicate {what} id '{id}' in this item"), N_("give each {what} its own id")),
    "FE145": (
        N_("a cards item needs exactly one of 'rows' and 'rows_from'"),
        N_("list the rows, or name the multi_choice item whose ticked options become the cards"),
    ),
    "FE146": (
        N_(
            "rows_from '{name}' is not a multi_choice item in an earlier section or the same section{suggestion}"
        ),
        N_("name a multi_choice item placed before the cards, or in the same section"),
    ),
    "FE147": (
        N_("a cards item needs at least one column"),
        N_("add 'columns:' with id, label and options for each question on the card"),
    ),
    "FE151": (
        N_("FHIR linkId '{link}' is used twice (first on line {first_line})"),
        N_("give each imported item its own linkId under 'fhir:', or import the Questionnaire again"),
    ),
    "FE152": (
        N_("a calculated item cannot have '{key}': its answer is computed, nobody types it"),
        N_("remove '{key}', or remove 'calculated' to ask the question"),
    ),
    "FE149": (
        N_("'{key}' is not possible inside a repeat group"),
        N_("move the item out of the repeat group, or remove '{key}'"),
    ),
    "FE150": (
        N_("initial value {value} does not fit the item: {reason}"),
        N_("give an answer the item accepts, as the relative would"),
    ),
    "FE154": (
        N_("'{name}' is not a column above this one on the card{suggestion}"),
        N_(
            "a column's show_if can name only the card's earlier columns; to hide the whole item, use the item's show_if"
        ),
    ),
    "FE155": (
        N_("column '{column}' depends on '{name}', which is the column itself or a column below it"),
        N_(
            "a column can depend only on columns above it: name one of those, or move this column below the one it depends on"
        ),
    ),
    "FE156": (
        N_(
            "option '{value}' is exclusive, but only the options of a multi_choice item can be (this is a {type})"
        ),
        N_("remove 'exclusive: true', or make the item a multi_choice"),
    ),
    "FE157": (
        N_("every option of this multi_choice is exclusive, so only one can ever be ticked"),
        N_("make the item a single_choice, or keep 'exclusive: true' only on a 'none of these' option"),
    ),
    "FE158": (
        N_("option '{value}' of '{name}' is exclusive, so it would become a card that asks nothing"),
        N_("take the cards' rows from a multi_choice without a 'none of these' option, or use fixed 'rows'"),
    ),
    # Expressions (FE2xx)
    "FE148": (N_("group '{id}' has no items"), N_("add items to the group or remove it")),
    "FE153": (
        N_("conversation_only cannot be used inside a repeat group that is inside another repeat group"),
        N_("remove conversation_only, or move the question out of the inner repeat group"),
    ),
    "FE201": (N_("expression syntax error: {problem}"), N_("check the operators, quotes and parentheses")),
    "FE202": (
        N_("unknown reference '{name}' in expression{suggestion}"),
        N_("refer to an item id of this form"),
    ),
    "FE203": (
        N_("unknown function '{name}' or wrong number of arguments"),
        N_("use count(x), answered(x), sum(x), min(…), max(…), round(x, digits)"),
    ),
    "FE204": (N_("'{value}' is not an option of '{item}'"), N_("compare with one of: {options}")),
    "FE205": (
        N_("'{name}' refers to itself in show_if"),
        N_("an item's condition must depend on other items"),
    ),
    "FE206": (N_("'value' is only available in a constraint"), N_("refer to the item by its id")),
    "FE207": (
        N_("show_if conditions depend on each other in a circle: {cycle}"),
        N_("make one of them depend on an item outside the circle"),
    ),
    "FE208": (
        N_("division by zero: this part of the expression has no value, so the condition can never be true"),
        N_("divide by another number or remove the division"),
    ),
    "FE211": (
        N_("FHIRPath error in a calculation: {problem}"),
        N_("check the expression against the FHIRPath specification (hl7.org/fhirpath)"),
    ),
    "FE210": (
        N_("the FHIRPath names linkId '{name}', which is not an item of this form{suggestion}"),
        N_("use the id of an item, a matrix row or a section of this form"),
    ),
    # Versions and variants (FE3xx)
    "FE209": (
        N_("'{name}' is inside the repeat group '{group}' and has one answer per entry"),
        N_("refer to it only from inside '{group}', or count the entries with count({group})"),
    ),
    "FE301": (
        N_("published version {form}@{version} has changed (hash {actual}, published {expected})"),
        N_("create a new version instead; published versions may never change"),
    ),
    "FE302": (N_("'{target}' cannot be extended: {reason}"), N_("extend an existing FORM@VERSION")),
    "FE303": (
        N_("overlay target '{target}' not found{suggestion}"),
        N_("name an existing item or section id"),
    ),
    "FE304": (
        N_("cannot hide '{target}': {reason}"),
        N_("national scored or required items must stay so answers remain comparable"),
    ),
    "FE305": (
        N_("cannot change national scoring: {reason}"),
        N_("add a new scale over your own items instead"),
    ),
    "FE306": (N_("{form}@{version} is defined more than once ({other})"), N_("keep one file per version")),
    "FE307": (
        N_("unknown overlay operation '{op}'{suggestion}"),
        N_("use add_items, add_section, set_text or hide"),
    ),
    "FE308": (N_("overlay operation needs exactly one of 'after' or 'before'"), N_("say where to insert")),
    "FE309": (N_("form {form}@{version} not found"), N_("run 'formengine list' to see the forms")),
    "FE310": (N_("cannot publish {form}@{version}: {reason}"), N_("fix the problems and try again")),
    "FE311": (N_("a variant extends a variant ('{target}')"), N_("extend the national core form")),
    "FE312": (
        N_(
            "a national form cannot be uploaded here; a municipality's variant needs 'municipality:' with 'id: {municipality}'"
        ),
        N_("see step 2 of the guide for form administrators"),
    ),
    "FE313": (
        N_("this form is for municipality '{other}', but you administer forms for '{own}'"),
        N_("change the municipality id to {own}, or ask that municipality's form administrator"),
    ),
    "FE314": (
        N_("the form id '{id}' is already used by another municipality or by a national form"),
        N_("choose another id, for example one that starts with your municipality's name"),
    ),
    "FE315": (
        N_("version {version} of '{form}' exists already; a version that exists is never replaced"),
        N_("give the form a higher version number, or create a new version from the existing one"),
    ),
    "FE321": (
        N_("prefill source '{source}' must be FORM@MAJOR or FORM@VERSION"),
        N_("e.g. from: parorende-kartlegging@1"),
    ),
    "FE322": (
        N_("prefill target '{target}' is not an item, matrix row or card cell of this form{suggestion}"),
        N_("write item, matrix.row or cards.row.column"),
    ),
    "FE323": (
        N_("'{value}' (pre-filling '{target}') is not an option of it"),
        N_("translate it under 'values:' to one of: {options}"),
    ),
    "FE324": (
        N_("prefill source '{name}' is not an item or matrix row of {source}{suggestion}"),
        N_("use an item id of the older form version"),
    ),
    "FE325": (
        N_("prefill: option '{value}' of {source} '{name}' is not an option of '{target}'"),
        N_("translate it under 'values:' for '{target}', or it is left empty"),
    ),
    "FE326": (
        N_("compares_to '{target}' cannot be used: {reason}"),
        N_("write FORM@VERSION#SCALE naming a scale with the same number of items and the same score range"),
    ),
    # Scoring (FE4xx)
    "FE401": (
        N_("scale item '{item}' is not an item or matrix row of this form"),
        N_("list scored items by id (matrix rows as matrix.row)"),
    ),
    "FE402": (
        N_("item '{item}' cannot be scored (type {type}, or options without scores)"),
        N_("give its options scores"),
    ),
    "FE403": (N_("band limits must increase (band '{band}')"), N_("order bands from low to high")),
    "FE404": (
        N_("min_answered must be a whole number >= 1 or a fraction between 0 and 1"),
        N_("e.g. min_answered: 3 or 0.5"),
    ),
    "FE405": (
        N_("gap matrices do not share the same rows ({a} and {b})"),
        N_("use matrices with identical rows"),
    ),
    "FE406": (N_("'{item}' is not a priority item"), N_("point 'priorities' at an item of type priority")),
    "FE407": (
        N_("the last band must have no max and the others must"),
        N_("leave 'max' off the highest band only"),
    ),
    "FE408": (
        N_("'{name}' in a weight or reverse list is not an item of this scale"),
        N_("list only the scale's items"),
    ),
    "FE409": (
        N_("a gap rule needs exactly one of 'bind' and 'cards'"),
        N_("use bind: for matrices, or cards: for a cards item"),
    ),
    "FE410": (N_("'{item}' is not a cards item"), N_("point 'cards:' at an item of type cards")),
    "FE411": (
        N_("'{item}' is inside the repeat group '{group}': a scale counts one answer per item"),
        N_("score items outside repeat groups (items in a group without repeat count)"),
    ),
    # Answers (FE5xx)
    "FE501": (N_("unknown item '{item}' in the answers"), N_("use item ids from the form definition")),
    "FE502": (N_("'{value}' is not an option of '{item}'"), N_("use one of: {options}")),
    "FE503": (N_("answer to '{item}' must be {expected}"), N_("change the value to {expected}")),
    "FE504": (N_("answer to '{item}' is out of range ({detail})"), N_("give a value within the limits")),
    "FE505": (
        N_("the answers are for {got}, not {expected}"),
        N_("score with the form version the answers were filled in"),
    ),
    "FE506": (N_("too many choices for '{item}' (at most {max})"), N_("remove some choices")),
    "FE507": (
        N_("the answers file is not valid: {reason}"),
        N_("see docs/format.md for the ANSWERS.json shape"),
    ),
    "FE508": (
        N_("card '{row}' of '{item}' is answered, but '{row}' is not ticked in '{source}'"),
        N_("tick it in '{source}' or remove the card's answers"),
    ),
    "FE509": (
        N_("'{item}' is answered, but the card ended at '{column}' (not applicable)"),
        N_("remove the answer, or change the answer to '{column}'"),
    ),
    "FE510": (
        N_("'{item}' is answered, but its question is not asked on this card ({condition} does not hold)"),
        N_("remove the answer, or change the card's earlier answers"),
    ),
    "FE511": (
        N_("'{option}' of '{item}' is ticked together with other options, but it must be ticked alone"),
        N_("remove '{option}', or remove the other options"),
    ),
}

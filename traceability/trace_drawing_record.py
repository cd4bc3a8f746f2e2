"""The record's parts of the trace page, drawn in Python (see traceability.trace_drawing):
the seal under the title, the timeline of stages and the national minimum trace data
(Circular 02/2024/TT-BKHCN: who made it, the brand, the trace code, shelf life, standards,
and each stage's location trace code)."""

import datetime
import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from shop.templatetags.storefront import local_date
from traceability.models import EventKind


def join(*parts) -> SafeString:
    """Drawn parts, one per line, leaving out the empty ones."""
    return mark_safe("\n".join(str(part) for part in parts if part))


@functools.lru_cache(maxsize=16)
def _kind_labels(language: str | None) -> dict[str, str]:
    # get_kind_display() builds the whole choices table per call; a page asks twice a stage.
    return {value: str(label) for value, label in EventKind.choices}


def kind_label(event) -> str:
    return _kind_labels(get_language()).get(event.kind, event.kind)


def _iso(moment: datetime.datetime) -> str:
    # As the template's |utc|date:'c' wrote it.
    return moment.astimezone(datetime.UTC).isoformat()


def seal(page, canonical_path: str) -> SafeString:
    """What the seal vouches for (traceability.checkpoints.check_batch), and where to check."""
    events = page.chain.events
    if not page.events:
        return format_html(
            '<p class="seal seal-empty">{}</p>',
            gettext("No stages have been recorded for this batch yet."),
        )
    if page.seal.intact and page.withdrawn:
        text = ngettext(
            "Record checked: the %(counter)s stage below has not been changed.",
            "Record checked: none of the %(counter)s stages below has been changed.",
            events,
        ) % {"counter": events}
        verdict = format_html('<p class="seal seal-neutral">{}</p>', text)
    elif page.seal.intact:
        text = ngettext(
            "Record intact: the %(counter)s stage below is sealed and has not been changed.",
            "Record intact: all %(counter)s stages below are sealed and none has been changed.",
            events,
        ) % {"counter": events}
        verdict = format_html(
            '<p class="seal seal-ok"><span aria-hidden="true">✓</span> {}</p>', text
        )
    else:
        verdict = _broken(page.seal)
    check = format_html(
        '<p class="seal-check small muted"><a href="{}?batch={}" rel="nofollow">{}</a> · '
        '<a href="{}?linkType=gs1:epcis" rel="nofollow">{}</a> · {}</p>',
        reverse("traceability:checkpoints"),
        page.batch.pk,
        gettext("Signed checkpoints"),
        canonical_path,
        gettext("Record data (EPCIS)"),
        gettext("check them yourself with our open verifier."),
    )
    return join(verdict, check)


def _broken(seal) -> SafeString:
    if seal.chain_broken:
        warning = gettext(
            "Warning: this record was changed after it was written (from stage %(position)s "
            "on). Treat it with care and report it to us."
        ) % {"position": seal.broken_at}
    else:
        warning = gettext(
            "Warning: this record does not match what the shop sealed. Treat it with care and "
            "report it to us."
        )
    # gettext_noop marks the texts for makemessages; they are translated when drawn below.
    failures = [
        (
            seal.chain_broken,
            "seal-failure-chain",
            gettext_noop("The stages' seals do not add up: a stage was changed, removed or moved."),
        ),
        (
            seal.unsigned,
            "seal-failure-signed",
            gettext_noop(
                "The stages are not the ones in the shop's last signed checkpoint: one was "
                "removed, added or rewritten."
            ),
        ),
        (
            seal.facts_differ,
            "seal-failure-facts",
            gettext_noop(
                "The lot code, dates or village shown differ from those recorded in the stages."
            ),
        ),
        (
            seal.photos_differ,
            "seal-failure-photos",
            gettext_noop("An evidence photo is not the one recorded with its stage."),
        ),
    ]
    return format_html(
        '<p class="seal seal-broken" role="alert"><span aria-hidden="true">!</span> {}</p>\n'
        '<ul class="seal-failures">\n  {}\n</ul>',
        warning,
        format_html_join(
            "\n  ",
            '<li class="{}">{}</li>',
            ((css, gettext(text)) for failed, css, text in failures if failed),
        ),
    )


def timeline(page) -> SafeString:
    """Every stage in time order: when (Vietnam time), what, where, who, standard, notes."""
    stages = page.timeline
    if not stages:
        body = format_html(
            '<p class="empty">{}</p>', gettext("No stages have been recorded for this batch yet.")
        )
    else:
        body = format_html(
            '<ol class="timeline">\n    {}\n  </ol>\n  <p class="muted small">{}</p>',
            join(*(_stage(event) for event in stages)),
            gettext("Times are Vietnam time (UTC+7)."),
        )
    return format_html(
        '<section class="section" aria-labelledby="timeline-title">\n'
        '  <h2 id="timeline-title">{}</h2>\n  {}\n</section>',
        gettext("The journey, stage by stage"),
        body,
    )


def _stage(event) -> SafeString:
    when = timezone.localtime(event.occurred_at)
    kind = kind_label(event)
    village = event.village
    where = (
        format_html(" · {}, {}", village.name, village.province.name) if village is not None else ""
    )
    standard = (
        format_html(
            '<p class="stage-standard">{}</p>',
            gettext("Standard: %(standard)s") % {"standard": event.standard},
        )
        if event.standard
        else ""
    )
    notes = event.notes
    return format_html(
        '<li class="stage stage-{}">\n      <p class="stage-when"><time datetime="{}">{} · {}'
        "</time></p>\n      <h3>{}</h3>\n"
        '      <p class="stage-where">{}{}</p>\n      <p class="stage-who">{}</p>\n      {}{}{}\n'
        "    </li>",
        event.kind,
        _iso(event.occurred_at),
        local_date(when),
        when.strftime("%H:%M"),
        kind,
        event.place,
        where,
        gettext("By %(actor)s") % {"actor": event.actor},
        standard,
        format_html('<p class="stage-notes">{}</p>', notes) if notes else "",
        format_html(
            '<img class="stage-photo" src="{}" alt="{}" loading="lazy">', event.photo.url, kind
        )
        if event.photo
        else "",
    )


def minimum_data(page) -> SafeString:
    """The national minimum trace data, with each stage's location trace code (its GLN)."""
    batch, product, coop = page.batch, page.product, page.cooperative
    if product.brand:
        brand = format_html("{}", product.brand)
    else:
        brand = format_html(
            '{} <span class="muted">({})</span>',
            coop.name,
            gettext("no brand registered: the producer's name is shown"),
        )
    gln = (
        format_html(' · <span class="gln">{} {}</span>', gettext("GLN"), coop.gln)
        if coop.gln
        else ""
    )
    days = page.shelf_life_days
    shelf_life = format_html(
        "{} ({})",
        ngettext("%(counter)s day", "%(counter)s days", days) % {"counter": days},
        gettext("best before %(day)s") % {"day": local_date(batch.best_before)},
    )
    standards = format_html_join("", "<li>{}</li>", ((standard,) for standard in page.standards))
    count = len(page.events)
    stages = ngettext(
        "%(counter)s stage, listed above with time and place",
        "%(counter)s stages, listed above with time and place",
        count,
    ) % {"counter": count}
    return format_html(
        '<section class="section" aria-labelledby="minimum-title">\n'
        '  <h2 id="minimum-title">{}</h2>\n  <dl class="minimum-data">\n'
        "    <div><dt>{}</dt><dd>{} — {}</dd></div>\n"
        '    <div><dt>{}</dt><dd class="brand">{}</dd></div>\n'
        "    <div><dt>{}</dt><dd>{}{}</dd></div>\n"
        "    <div><dt>{}</dt><dd><address>{}</address></dd></div>\n"
        '    <div><dt>{}</dt><dd class="lot">{}</dd></div>\n'
        "    <div><dt>{}</dt><dd>{}</dd></div>\n"
        '    <div><dt>{}</dt><dd><ul class="plain">\n      <li>{}</li>\n      {}\n'
        "      <li>{}</li>\n    </ul></dd></div>\n"
        "    <div><dt>{}</dt><dd>{}</dd></div>\n  </dl>\n  {}\n</section>",
        gettext("Traceability information"),
        gettext("Product"),
        product.name,
        batch.variant.name,
        gettext("Brand or trademark"),
        brand,
        gettext("Producer"),
        coop.name,
        gln,
        gettext("Producer's address"),
        coop.address,
        gettext("Trace code"),
        page.element_string,
        gettext("Shelf life"),
        shelf_life,
        gettext("Standards applied"),
        gettext("OCOP %(stars)s stars (%(number)s)")
        % {"stars": product.ocop_stars, "number": product.ocop_decision_number},
        standards,
        gettext("GS1 Digital Link"),
        gettext("Stages"),
        stages,
        _stage_locations(page) if page.events else "",
    )


def _stage_locations(page) -> SafeString:
    rows = []
    for stage in page.stage_locations:
        event = stage.event
        village = format_html(" · {}", event.village.name) if event.village is not None else ""
        gln = (
            format_html('<span class="gln">{}</span>', stage.gln)
            if stage.gln
            else format_html('<span class="muted">{}</span>', gettext("not assigned"))
        )
        rows.append(
            format_html(
                '<tr>\n        <th scope="row">{}</th>\n'
                '        <td><time datetime="{}">{}</time></td>\n        <td>{}{}</td>\n'
                "        <td>{}</td>\n      </tr>",
                kind_label(event),
                _iso(event.occurred_at),
                local_date(event.occurred_at),
                event.place,
                village,
                gln,
            )
        )
    return format_html(
        '<table class="stage-locations">\n    <caption>{}</caption>\n    <thead><tr>\n'
        '      <th scope="col">{}</th>\n      <th scope="col">{}</th>\n'
        '      <th scope="col">{}</th>\n      <th scope="col">{}</th>\n    </tr></thead>\n'
        "    <tbody>\n      {}\n    </tbody>\n  </table>",
        gettext("Location trace code of each stage (GS1 Global Location Number)"),
        gettext("Stage"),
        gettext("Date"),
        gettext("Place"),
        gettext("Location code (GLN)"),
        join(*rows),
    )

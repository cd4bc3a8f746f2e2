"""The trace page's body, drawn in Python rather than through the template engine.

A first scan of a lot is rendered on the request that asks for it; through templates the
body cost about four times everything else the request did (issue 13), most of it spent
resolving variables and translating blocks stage by stage. The HTML and the words are the
template's (the same message ids, so every translation still applies); trace.html keeps the
page's head and frame. The record's parts (the seal, the timeline, the national minimum
data) are in traceability.trace_drawing_record.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext

from shop import visits
from shop.templatetags.storefront import local_date, ocop_stars
from traceability.trace_drawing_record import join, minimum_data, seal, timeline

# gettext_noop: marked for makemessages, translated when drawn (gettext(word) in _map).
LANDMARK_WORDS = {
    "hanoi": ("landmark", gettext_noop("Hanoi")),
    "hcmc": ("landmark", gettext_noop("Ho Chi Minh City")),
    "hoang_sa": ("landmark landmark-sea", gettext_noop("Hoàng Sa Islands")),
    "truong_sa": ("landmark landmark-sea", gettext_noop("Trường Sa Islands")),
}


def draw(page, *, canonical_path: str, report_url: str, orders_url: str, landmarks) -> SafeString:
    """The page's content below the header, for the TracePage `page`."""
    return join(
        _withdrawn(page, orders_url),
        _hero(page, canonical_path),
        _facts(page),
        _map(page, landmarks),
        _visit(page),
        _components(page),
        _story(page),
        timeline(page),
        minimum_data(page),
        _qr_links(page),
        format_html(
            '<aside class="section report-link">\n  <p><strong>{}</strong>\n  {}</p>\n'
            '  <p><a class="button button-secondary" href="{}" rel="nofollow">{}</a></p>\n'
            "</aside>",
            gettext("Something not right with this product?"),
            gettext(
                "If the label, the seal or the product itself differs from this page, tell us."
            ),
            report_url,
            gettext("Report a suspicious product"),
        ),
    )


def _withdrawn(page, orders_url: str) -> SafeString:
    if not page.withdrawn:
        return mark_safe("")
    if page.recalled:
        parts = [format_html("<h2>{}</h2>", gettext("This batch has been recalled"))]
        recall = page.recall
        if recall:
            parts.append(
                format_html(
                    '<p class="recall-when">{}</p>\n'
                    '  <p class="recall-reason"><strong>{}:</strong> {}</p>',
                    gettext("Recalled on %(day)s.") % {"day": local_date(recall.created_at)},
                    gettext("Reason"),
                    recall.reason,
                )
            )
        parts.append(
            format_html("<p>{}</p>", gettext("Do not eat or use this product. Keep the package."))
        )
    else:
        day = local_date(page.batch.best_before)
        parts = [
            format_html("<h2>{}</h2>", gettext("This batch is past its best-before date")),
            format_html(
                "<p>{}</p>",
                gettext("Its best-before date was %(day)s. It is no longer sold.") % {"day": day},
            ),
        ]
    email = page.contact_email
    refund = gettext(
        "If you bought this lot, you get your money back: write to "
        '<a href="mailto:%(email)s">%(email)s</a> or <a href="%(orders_url)s">open your '
        "order</a>."
    )
    parts.append(
        format_html(
            '<p class="refund-route">{}</p>',
            mark_safe(
                refund
                % {"email": conditional_escape(email), "orders_url": conditional_escape(orders_url)}
            ),
        )
    )
    return format_html('<div class="recall-notice" role="alert">\n  {}\n</div>', join(*parts))


def _hero(page, canonical_path: str) -> SafeString:
    batch, product, coop = page.batch, page.product, page.cooperative
    photo = (
        format_html(
            '<img class="trace-photo" src="{}" alt="{}" width="640" height="480">',
            product.photo.url,
            product.name,
        )
        if product.photo
        else ""
    )
    if product.ocop_is_current:
        certificate = format_html(
            '<div class="certificate certificate-current">\n        {}\n        <p>{}</p>\n'
            "      </div>",
            ocop_stars(product.ocop_stars),
            gettext("OCOP certified by decision %(number)s, valid until %(until)s")
            % {
                "number": product.ocop_decision_number,
                "until": local_date(product.ocop_valid_until),
            },
        )
    else:
        certificate = format_html(
            '<div class="certificate certificate-expired">\n'
            '        <span class="badge badge-expired">{}</span>\n        <p>{}</p>\n      </div>',
            gettext("OCOP certificate expired"),
            gettext(
                "Rated %(stars)s OCOP stars by decision %(number)s, which expired on %(until)s."
            )
            % {
                "stars": product.ocop_stars,
                "number": product.ocop_decision_number,
                "until": local_date(product.ocop_valid_until),
            },
        )
    buy = (
        format_html(
            '<p class="trace-actions"><a class="button" href="{}">{}</a></p>',
            reverse("shop:product", kwargs={"slug": product.slug}),
            gettext("Buy this product"),
        )
        if not page.withdrawn
        else ""
    )
    village = batch.village
    return format_html(
        '<section class="trace-hero" aria-labelledby="trace-title">\n'
        '  <p class="eyebrow">{}</p>\n  <div class="trace-hero-body">\n    {}\n    <div>\n'
        '      <h1 id="trace-title">{}</h1>\n'
        '      <p class="trace-variant">{} · {} <span class="lot">{}</span></p>\n'
        '      <p class="trace-origin">{}</p>\n      {}\n      {}\n      {}\n'
        "    </div>\n  </div>\n</section>",
        gettext("Origin and journey of this package"),
        photo,
        product.name,
        batch.variant.name,
        gettext("Lot"),
        batch.lot_code,
        gettext("Made by %(name)s in %(village)s, %(province)s")
        % {"name": coop.name, "village": village.name, "province": village.province.name},
        seal(page, canonical_path),
        certificate,
        buy,
    )


def _facts(page) -> SafeString:
    batch = page.batch
    expired = (
        format_html(' <span class="badge badge-expired">{}</span>', gettext("expired"))
        if page.expired
        else ""
    )
    days = page.shelf_life_days
    corrections = ""
    if page.corrections:
        corrections = format_html(
            '<ul class="trace-corrections">{}</ul>',
            format_html_join(
                "",
                "<li>{}: {}</li>",
                (
                    (
                        gettext("Corrected on %(day)s") % {"day": local_date(event.occurred_at)},
                        event.notes,
                    )
                    for event in page.corrections
                ),
            ),
        )
    return format_html(
        '<section class="section" aria-labelledby="facts-title">\n'
        '  <h2 id="facts-title">{}</h2>\n  <dl class="facts trace-facts">\n'
        "    <div><dt>{}</dt><dd>{}</dd></div>\n    <div><dt>{}</dt><dd>{}</dd></div>\n"
        "    <div><dt>{}</dt><dd>{}{}</dd></div>\n    <div><dt>{}</dt><dd>{}</dd></div>\n"
        "  </dl>\n  {}\n</section>",
        gettext("This batch"),
        gettext("Harvested"),
        local_date(batch.harvest_date),
        pgettext("trace page: the day the lot was packed", "Packed"),
        local_date(batch.packing_date),
        gettext("Best before"),
        local_date(batch.best_before),
        expired,
        gettext("Shelf life"),
        ngettext("%(counter)s day", "%(counter)s days", days) % {"counter": days},
        corrections,
    )


def _visit(page) -> SafeString:
    """The cooperative's "Visit the village", read with the lot (trace_reads.lot) and drawn
    by the partial the cooperative and gift pages use; only a published visit is joined."""
    try:
        row = page.cooperative.visit
    except ObjectDoesNotExist:
        return mark_safe("")
    if row is None or not row.published:
        return mark_safe("")
    return render_to_string("shop/_visit.html", {"visit": visits.present(row)})


def _map(page, landmarks) -> SafeString:
    village = page.batch.village
    marks = join(
        *(
            format_html(
                '<span class="{}" style="{}">{}</span>', css, landmarks[name].style, gettext(word)
            )
            for name, (css, word) in LANDMARK_WORDS.items()
            if name in landmarks
        )
    )
    pins = format_html_join(
        "",
        '<span class="map-pin{}" style="{}" title="{}">'
        '<span class="visually-hidden">{}</span></span>',
        (
            (" map-pin-primary" if pin.primary else "", pin.style, pin.label, pin.label)
            for pin in page.pins
        ),
    )
    legend = ""
    if page.components:
        legend = format_html(
            '<p class="map-legend"><span class="legend-pin legend-pin-primary" aria-hidden="true">'
            '</span> {} <span class="legend-pin" aria-hidden="true"></span> {}</p>',
            gettext("where this gift set was put together"),
            gettext("where its contents come from"),
        )
    return format_html(
        '<section class="section" aria-labelledby="map-title">\n  <h2 id="map-title">{}</h2>\n'
        '  <figure class="trace-map">\n    <div class="map-frame">\n'
        '      <img src="{}" alt="{}" width="600" height="656">\n      {}\n      {}\n    </div>\n'
        "    <figcaption>\n      <strong>{}</strong>{}, {}\n"
        '      <span class="muted coords">{}° N, {}° E</span>\n    </figcaption>\n    {}\n'
        "  </figure>\n</section>",
        gettext("Where it comes from"),
        static("traceability/vietnam.svg"),
        gettext("Map of Vietnam"),
        marks,
        pins,
        village.name,
        format_html(", {}", village.commune) if village.commune else "",
        village.province.name,
        floatformat(village.latitude, 3),
        floatformat(village.longitude, 3),
        legend,
    )


def _components(page) -> SafeString:
    if not page.components:
        return mark_safe("")
    items = []
    for item in page.components:
        batch = item.batch
        recalled = (
            format_html(' <span class="badge badge-expired">{}</span>', gettext("recalled"))
            if batch.status == "recalled"
            else ""
        )
        record = ""
        if item.chain.events:
            record = (
                format_html(
                    '· <span class="seal-inline seal-ok">{}</span>', gettext("record intact")
                )
                if item.chain.valid
                else format_html(
                    '· <span class="seal-inline seal-broken">{}</span>', gettext("record changed")
                )
            )
        items.append(
            format_html(
                "<li>\n      <h3>{}{}</h3>\n      <p>{}</p>\n"
                '      <p class="muted">{} <span class="lot">{}</span> · {}\n        {}</p>\n'
                '      <p><a href="{}">{}</a></p>\n    </li>',
                batch.variant.product.name,
                recalled,
                gettext("By %(name)s in %(village)s, %(province)s")
                % {
                    "name": batch.variant.product.cooperative.name,
                    "village": batch.village.name,
                    "province": batch.village.province.name,
                },
                gettext("Lot"),
                batch.lot_code,
                gettext("harvested %(day)s") % {"day": local_date(batch.harvest_date)},
                record,
                item.link_path,
                gettext("Trace this component"),
            )
        )
    return format_html(
        '<section class="section" aria-labelledby="components-title">\n'
        '  <h2 id="components-title">{}</h2>\n  <ul class="component-origins">\n    {}\n  </ul>\n'
        "</section>",
        gettext("What is inside this gift set"),
        join(*items),
    )


def _story(page) -> SafeString:
    product, coop = page.product, page.cooperative
    if not (product.story or coop.story or coop.photo):
        return mark_safe("")
    photo = (
        format_html(
            '<img class="story-photo" src="{}" alt="{}" loading="lazy">', coop.photo.url, coop.name
        )
        if coop.photo
        else ""
    )
    return format_html(
        '<section class="section trace-story" aria-labelledby="story-title">\n'
        '  <h2 id="story-title">{}</h2>\n  {}\n  {}\n  {}\n'
        '  <p><a href="{}">{}</a></p>\n</section>',
        gettext("The producer's story"),
        photo,
        linebreaks(product.story, autoescape=True) if product.story else "",
        linebreaks(coop.story, autoescape=True) if coop.story else "",
        coop.get_absolute_url(),
        gettext("More from %(name)s") % {"name": coop.name},
    )


def _qr_links(page) -> SafeString:
    batch = page.batch
    kwargs = {"gtin": batch.variant.gtin, "lot": batch.lot_code}
    return format_html(
        '<section class="section trace-qr" aria-labelledby="qr-title">\n'
        '  <h2 id="qr-title">{}</h2>\n  <p>{}\n'
        '    <a href="{}" type="image/svg+xml">{}</a> ·\n'
        '    <a href="{}" type="image/png">{}</a></p>\n</section>',
        gettext("This lot's QR code"),
        gettext("The code printed on the package, to print again or share."),
        reverse("traceability:qr", kwargs={**kwargs, "kind": "svg"}),
        gettext("QR code (SVG)"),
        reverse("traceability:qr", kwargs={**kwargs, "kind": "png"}),
        gettext("QR code (PNG)"),
    )

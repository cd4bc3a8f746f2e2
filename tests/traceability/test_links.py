from traceability.links import digital_link, digital_link_path


def test_path_normalises_gtin_and_encodes_lot():
    assert digital_link_path(gtin="8934567890120", lot="A/1 B") == "/01/08934567890120/10/A%2F1%20B"


def test_absolute_link_uses_site_url(settings):
    settings.SITE_URL = "https://ocop.example"

    link = digital_link(gtin="96385074", lot="L1", serial="7")

    assert link == "https://ocop.example/01/00000096385074/10/L1/21/7"

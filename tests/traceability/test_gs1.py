import pytest

from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("96385074", "00000096385074"),  # GTIN-8
        ("614141000036", "00614141000036"),  # GTIN-12
        ("8934567890120", "08934567890120"),  # GTIN-13
        ("08934567890120", "08934567890120"),  # GTIN-14
    ],
)
def test_gtins_normalise_to_fourteen_digits(text, expected):
    assert normalise_gtin(text) == expected


@pytest.mark.parametrize("text", ["8934567890128", "89345678901", "", "893456789012a", "８９３"])
def test_bad_gtins_are_refused(text):
    with pytest.raises(InvalidGTIN):
        normalise_gtin(text)


@pytest.mark.parametrize("lot", ["A", "LOT-2026/01", "a" * 20, "x%y_z"])
def test_lot_codes_of_cset82_pass(lot):
    assert validate_lot(lot) == lot


@pytest.mark.parametrize("lot", ["", "a" * 21, "LOT 1", "LÔ1", "lot#1"])
def test_bad_lot_codes_are_refused(lot):
    with pytest.raises(InvalidLot):
        validate_lot(lot)

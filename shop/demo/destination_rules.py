"""Demo destination rules: goods the demo's destinations refuse in the post, with the reason
in English and Vietnamese and the rule's source. Idempotent: a rule is matched by country,
product and HS prefix (and group) and its words brought back to the data below.

As known in 2025; operators correct them in the admin. Summaries of the sources:
- Australia (DAFF, BICON and "Bringing or mailing goods to Australia"): honey and other bee
  products may not be mailed in (from anywhere but New Zealand) without an import permit;
  seeds for sowing need a permit and inspection; pork and other meat from countries with
  African swine fever (Vietnam) may not be imported; fresh fruit needs a permit and a
  phytosanitary certificate.
- New Zealand (MPI, Import Health Standard for bee products): honey from countries other
  than Australia is not allowed in.
- United States: meat and meat products from Vietnam (ASF, FMD) are refused by USDA APHIS
  (9 CFR 94); fresh fruit needs an APHIS permit (7 CFR 319.56); alcoholic drinks are not
  mailable in the US postal service (18 U.S.C. 1716(f); CBP: "alcohol may not be shipped
  through the USPS").
Meat is HS chapter 02 and headings 1601-1602 (sausages, prepared meat); fish preparations
(1604-1605) are not meat and are not refused.
"""

from dataclasses import dataclass

from django.db import transaction

from shop.models import DestinationRule, Product

AU_BICON = (
    "Australian Government DAFF, BICON and 'Bringing or mailing goods to Australia' "
    "(agriculture.gov.au), 2025"
)
NZ_MPI = "New Zealand MPI, Import Health Standard: bee products (mpi.govt.nz), 2025"
US_APHIS_MEAT = "USDA APHIS, 9 CFR 94 (African swine fever and FMD countries), 2025"
US_APHIS_FRUIT = "USDA APHIS, 7 CFR 319.56 fruits and vegetables import permit, 2025"
US_ALCOHOL = "18 U.S.C. 1716(f); U.S. CBP: alcohol may not be shipped through the USPS, 2025"

HONEY_EN = "Honey and bee products may not be sent there by post."
HONEY_VI = "Không được gửi mật ong và sản phẩm từ ong qua đường bưu điện đến nước này."
MEAT_EN = "Meat and meat products from Vietnam may not be imported there."
MEAT_VI = "Nước này không cho nhập khẩu thịt và sản phẩm từ thịt từ Việt Nam."
SEEDS_EN = "Seeds and live plant material need an import permit there."
SEEDS_VI = "Hạt giống và vật liệu thực vật sống cần giấy phép nhập khẩu tại nước này."
FRUIT_EN = "Fresh fruit needs an import permit and a plant health certificate there."
FRUIT_VI = "Trái cây tươi cần giấy phép nhập khẩu và giấy chứng nhận kiểm dịch thực vật."
ALCOHOL_EN = "Alcoholic drinks may not be sent there by post."
ALCOHOL_VI = "Không được gửi đồ uống có cồn qua đường bưu điện đến nước này."
HERBS_EN = "Dried plant material not for eating needs an import permit there."
HERBS_VI = "Thảo dược khô không dùng để ăn cần giấy phép nhập khẩu tại nước này."


@dataclass(frozen=True)
class RuleSpec:
    country: str
    reason_en: str
    reason_vi: str
    source: str
    hs_prefix: str = ""
    product: str = ""  # Product.slug
    group: str = ""


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("AU", HONEY_EN, HONEY_VI, AU_BICON, hs_prefix="0409"),
    # Ginseng preserved in honey is classed as a fruit preparation (2008) but is honey too.
    RuleSpec("AU", HONEY_EN, HONEY_VI, AU_BICON, product="ngoc-linh-ginseng-in-honey"),
    RuleSpec("AU", SEEDS_EN, SEEDS_VI, AU_BICON, hs_prefix="1209"),
    RuleSpec("AU", HERBS_EN, HERBS_VI, AU_BICON, product="red-dao-herbal-bath"),
    RuleSpec("AU", MEAT_EN, MEAT_VI, AU_BICON, hs_prefix="02"),
    RuleSpec("AU", MEAT_EN, MEAT_VI, AU_BICON, hs_prefix="1601"),
    RuleSpec("AU", MEAT_EN, MEAT_VI, AU_BICON, hs_prefix="1602"),
    RuleSpec("AU", FRUIT_EN, FRUIT_VI, AU_BICON, hs_prefix="0810"),
    RuleSpec("NZ", HONEY_EN, HONEY_VI, NZ_MPI, hs_prefix="0409"),
    RuleSpec("NZ", HONEY_EN, HONEY_VI, NZ_MPI, product="ngoc-linh-ginseng-in-honey"),
    RuleSpec("US", MEAT_EN, MEAT_VI, US_APHIS_MEAT, hs_prefix="02"),
    RuleSpec("US", MEAT_EN, MEAT_VI, US_APHIS_MEAT, hs_prefix="1601"),
    RuleSpec("US", MEAT_EN, MEAT_VI, US_APHIS_MEAT, hs_prefix="1602"),
    RuleSpec("US", FRUIT_EN, FRUIT_VI, US_APHIS_FRUIT, hs_prefix="0810"),
    RuleSpec("US", ALCOHOL_EN, ALCOHOL_VI, US_ALCOHOL, hs_prefix="2203"),
    RuleSpec("US", ALCOHOL_EN, ALCOHOL_VI, US_ALCOHOL, hs_prefix="2204"),
    RuleSpec("US", ALCOHOL_EN, ALCOHOL_VI, US_ALCOHOL, hs_prefix="2206"),
    RuleSpec("US", ALCOHOL_EN, ALCOHOL_VI, US_ALCOHOL, hs_prefix="2208"),
)


def load_destination_rules() -> int:
    """Write the demo rules (after the catalogue: some name a product); returns how many."""
    products = dict(
        Product.objects.filter(slug__in={r.product for r in RULES if r.product}).values_list(
            "slug", "pk"
        )
    )
    with transaction.atomic():
        for rule in RULES:
            DestinationRule.objects.update_or_create(
                country=rule.country,
                product_id=products.get(rule.product),
                group=rule.group,
                hs_prefix=rule.hs_prefix,
                defaults={
                    "reason_en": rule.reason_en,
                    "reason_vi": rule.reason_vi,
                    "source": rule.source,
                },
            )
    return len(RULES)

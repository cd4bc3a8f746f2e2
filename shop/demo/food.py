"""Demo products of the OCOP group food."""

from shop.demo import cooperatives as coop
from shop.demo.specs import ProductSpec, Stock, VariantSpec

FOOD: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="phu-quoc-fish-sauce-40n",
        cooperative=coop.PHU_QUOC.slug,
        group="food",
        ocop_stars=5,
        ocop_decision_number="2817/QĐ-UBND",
        certified_days_ago=410,
        hs_code="210390",
        customs_description="Fish sauce (anchovy and sea salt), bottled",
        net_weights=(300, 600),
        shelf_life_days=730,
        name_en="Phú Quốc fish sauce 40°N",
        name_vi="Nước mắm Phú Quốc 40 độ đạm",
        description_en=(
            "First-press fish sauce of 40 degrees of protein nitrogen, drawn from wooden "
            "barrels of black anchovy and sea salt after fourteen months. Amber, clear and "
            "deep: a few drops season a whole dish. Protected origin in the European Union."
        ),
        description_vi=(
            "Nước mắm nhĩ 40 độ đạm, rút từ thùng gỗ ủ cá cơm than với muối biển sau mười bốn "
            "tháng. Màu cánh gián, trong, vị đậm đà: vài giọt đủ nêm cả món. Được bảo hộ chỉ "
            "dẫn địa lý tại Liên minh châu Âu."
        ),
        story_en=(
            "Mrs Tư, 78, still tastes every barrel before it is opened, and no barrel is "
            "drawn before she says so."
        ),
        story_vi="Bà Tư, 78 tuổi, vẫn nếm từng thùng trước khi mở; chưa có lời bà, chưa rút.",
        variants=(
            VariantSpec(
                "PQ-NM40-250", "250 ml bottle", "Chai 250 ml", 420, "95000", "7.90", "7.30", 1
            ),
            VariantSpec(
                "PQ-NM40-500",
                "500 ml bottle",
                "Chai 500 ml",
                780,
                "185000",
                "12.90",
                "11.90",
                2,
                stock=Stock.NEARLY_SOLD_OUT,
            ),
        ),
    ),
    ProductSpec(
        slug="phu-quoc-black-pepper",
        cooperative=coop.PHU_QUOC.slug,
        group="food",
        ocop_stars=4,
        ocop_decision_number="1562/QĐ-UBND",
        certified_days_ago=640,
        hs_code="090411",
        customs_description="Black pepper, whole, dried",
        net_weights=(100, 250),
        shelf_life_days=540,
        name_en="Phú Quốc black pepper",
        name_vi="Tiêu đen Phú Quốc",
        description_en=(
            "Whole peppercorns from red-soil gardens, picked when the first berries on a spike "
            "turn red and sun-dried for four days. Hot, citrusy and resinous."
        ),
        description_vi=(
            "Hạt tiêu nguyên hạt từ vườn đất đỏ, hái khi chùm có hạt đầu tiên chín đỏ và phơi "
            "nắng bốn ngày. Cay nồng, thơm mùi vỏ cam và nhựa."
        ),
        story_en="The pepper gardens of Hàm Ninh were planted by our members' grandparents.",
        story_vi="Những vườn tiêu Hàm Ninh do ông bà của các thành viên trồng từ thuở trước.",
        second_village=coop.HAM_NINH,
        variants=(
            VariantSpec("PQ-TIEU-100", "100 g jar", "Hũ 100 g", 160, "65000", "5.90", "5.40", 3),
            VariantSpec(
                "PQ-TIEU-250", "250 g pouch", "Túi 250 g", 270, "140000", "11.50", "10.60", 4
            ),
        ),
    ),
    ProductSpec(
        slug="st25-fragrant-rice",
        cooperative=coop.SOC_TRANG.slug,
        group="food",
        ocop_stars=5,
        ocop_decision_number="3140/QĐ-UBND",
        certified_days_ago=300,
        hs_code="100630",
        customs_description="Rice, wholly milled, fragrant (ST25)",
        net_weights=(2000, 5000),
        shelf_life_days=365,
        name_en="ST25 fragrant rice",
        name_vi="Gạo thơm ST25",
        description_en=(
            "Long, slender grains that cook soft and stay soft when cold, with a light pandan "
            "fragrance. Grown in rotation with shrimp, without chemical pesticides."
        ),
        description_vi=(
            "Hạt dài, thon, cơm dẻo và vẫn mềm khi nguội, thơm nhẹ mùi lá dứa. Trồng luân canh "
            "với tôm, không dùng thuốc trừ sâu hóa học."
        ),
        story_en="Mr Sáu's family switched their whole farm to ST25 the year it won.",
        story_vi="Gia đình ông Sáu chuyển cả ruộng sang ST25 ngay năm giống lúa đoạt giải.",
        variants=(
            VariantSpec("ST25-2KG", "2 kg bag", "Túi 2 kg", 2000, "95000", "8.90", "8.20", 1),
            VariantSpec(
                "ST25-5KG",
                "5 kg bag",
                "Túi 5 kg",
                5000,
                "225000",
                "19.50",
                "17.90",
                2,
                batches=3,
                stock=Stock.SOLD_OUT_BATCH,
            ),
        ),
    ),
    ProductSpec(
        slug="hung-yen-dried-longan",
        cooperative=coop.HONG_NAM.slug,
        group="food",
        ocop_stars=4,
        ocop_decision_number="1986/QĐ-UBND",
        certified_days_ago=520,
        hs_code="081340",
        customs_description="Dried longan fruit",
        net_weights=(200, 500),
        shelf_life_days=365,
        name_en="Hưng Yên dried longan",
        name_vi="Long nhãn Hưng Yên",
        description_en=(
            "The flesh of nhãn lồng longans, peeled by hand and dried slowly over charcoal "
            "until amber and chewy. Sweet with a note of caramel; eat it as it is, in sweet "
            "soups or brewed with lotus seeds."
        ),
        description_vi=(
            "Cùi nhãn lồng bóc tay, sấy than chậm tới khi vàng hổ phách và dẻo. Ngọt thanh, "
            "thoảng mùi đường thắng; ăn ngay, nấu chè hoặc hãm cùng hạt sen."
        ),
        story_en="Each kilo of dried longan takes eight kilos of fruit and a day of peeling.",
        story_vi="Mỗi cân long nhãn cần tám cân quả tươi và một ngày bóc.",
        variants=(
            VariantSpec("HY-LN-200", "200 g pouch", "Túi 200 g", 220, "120000", "8.90", "8.20", 1),
            VariantSpec("HY-LN-500", "500 g box", "Hộp 500 g", 560, "280000", "18.90", "17.40", 2),
        ),
    ),
    ProductSpec(
        slug="tay-bac-wildflower-honey",
        cooperative=coop.MOC_CHAU.slug,
        group="food",
        ocop_stars=4,
        ocop_decision_number="2234/QĐ-UBND",
        certified_days_ago=700,
        hs_code="040900",
        customs_description="Natural honey",
        net_weights=(250, 500),
        shelf_life_days=730,
        name_en="Tây Bắc wildflower honey",
        name_vi="Mật ong hoa rừng Tây Bắc",
        description_en=(
            "Raw honey from hives that follow the blossom across the Northwest mountains. "
            "Dark, floral and slow to crystallise; never heated, only strained."
        ),
        description_vi=(
            "Mật ong nguyên chất từ những đàn ong theo mùa hoa khắp núi rừng Tây Bắc. Màu sẫm, "
            "thơm hương hoa, lâu kết tinh; không đun, chỉ lọc."
        ),
        story_en="Mr Lò Văn Pấng has kept bees for thirty years and moves 200 hives by truck.",
        story_vi="Ông Lò Văn Pấng nuôi ong ba mươi năm, chở 200 thùng ong theo mùa hoa.",
        variants=(
            VariantSpec("MC-MO-250", "250 g jar", "Hũ 250 g", 380, "145000", "10.90", "9.90", 1),
            VariantSpec("MC-MO-500", "500 g jar", "Hũ 500 g", 680, "260000", "18.50", "16.90", 2),
        ),
    ),
    ProductSpec(
        slug="ha-long-dried-squid",
        cooperative=coop.CO_TO.slug,
        group="food",
        ocop_stars=4,
        ocop_decision_number="1745/QĐ-UBND",
        certified_days_ago=480,
        hs_code="030749",
        customs_description="Dried squid",
        net_weights=(200, 500),
        shelf_life_days=270,
        name_en="Hạ Long Bay dried squid",
        name_vi="Mực khô Cô Tô",
        description_en=(
            "Whole squid caught by lamplight around Cô Tô and dried on bamboo racks in the sea "
            "wind. Grill it lightly, tear it into strips and dip in chilli sauce."
        ),
        description_vi=(
            "Mực câu đèn quanh Cô Tô, phơi nguyên con trên giàn tre trong gió biển. Nướng nhẹ, "
            "xé sợi, chấm tương ớt."
        ),
        story_en="Three generations of the Phạm family fish from the same wooden boat.",
        story_vi="Ba thế hệ nhà họ Phạm cùng đi câu trên một con thuyền gỗ.",
        variants=(
            VariantSpec(
                "CT-MUC-200",
                "200 g pack",
                "Gói 200 g",
                220,
                "380000",
                "24.90",
                "22.90",
                1,
                stock=Stock.EXPIRED_BATCH,
            ),
            VariantSpec(
                "CT-MUC-500", "500 g pack", "Gói 500 g", 530, "920000", "58.00", "53.50", 2
            ),
        ),
    ),
    ProductSpec(
        slug="ca-mau-dried-shrimp",
        cooperative=coop.NAM_CAN.slug,
        group="food",
        ocop_stars=4,
        ocop_decision_number="1052/QĐ-UBND",
        certified_days_ago=250,
        hs_code="030695",
        customs_description="Dried shrimp",
        net_weights=(100, 250),
        shelf_life_days=240,
        name_en="Cà Mau dried shrimp",
        name_vi="Tôm khô Cà Mau",
        description_en=(
            "Mangrove-forest shrimp, boiled, sun-dried and rubbed by hand. Sweet and firm: a "
            "snack with beer, or the savoury heart of a salad or a pot of rice porridge."
        ),
        description_vi=(
            "Tôm rừng ngập mặn luộc, phơi nắng và chà tay. Ngọt, chắc thịt: nhắm với bia, trộn "
            "gỏi hay nấu cháo đều ngon."
        ),
        story_en="Ms Út's shrimp ponds sit under mangroves her father planted in 1985.",
        story_vi="Ao tôm của chị Út nằm dưới tán rừng đước cha chị trồng năm 1985.",
        variants=(
            VariantSpec("CM-TOM-100", "100 g pack", "Gói 100 g", 120, "150000", "10.50", "9.70", 1),
            VariantSpec(
                "CM-TOM-250",
                "250 g jar",
                "Hũ 250 g",
                320,
                "360000",
                "23.90",
                "21.90",
                2,
                stock=Stock.NEARLY_SOLD_OUT,
            ),
        ),
    ),
)

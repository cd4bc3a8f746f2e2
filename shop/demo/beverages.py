"""Demo products of the OCOP group beverages: tea, coffee and wine."""

from shop.demo import cooperatives as coop
from shop.demo.specs import ProductSpec, Stock, VariantSpec

BEVERAGES: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="shan-tuyet-white-tea",
        cooperative=coop.PHIN_HO.slug,
        group="beverages",
        ocop_stars=5,
        ocop_decision_number="1327/QĐ-UBND",
        certified_days_ago=560,
        hs_code="090210",
        customs_description="White tea (not fermented), dried leaves",
        net_weights=(50, 100),
        shelf_life_days=730,
        name_en="Shan Tuyết white tea",
        name_vi="Bạch trà Shan Tuyết",
        description_en=(
            "Only the downy buds of ancient Shan Tuyết trees, withered in the mountain air and "
            "dried without rolling. Pale gold in the cup, honeyed and long."
        ),
        description_vi=(
            "Chỉ búp phủ lông tơ của cây chè Shan Tuyết cổ thụ, làm héo trong gió núi và sấy "
            "không vò. Nước vàng nhạt, vị ngọt như mật, hậu dài."
        ),
        story_en="A picker gathers barely a kilo of buds a day from the old trees.",
        story_vi="Mỗi ngày một người hái chỉ được chừng một cân búp từ cây chè cổ.",
        variants=(
            VariantSpec(
                "HG-BT-50",
                "50 g tin",
                "Hộp thiếc 50 g",
                150,
                "240000",
                "16.90",
                "15.50",
                1,
                stock=Stock.NEARLY_SOLD_OUT,
            ),
            VariantSpec(
                "HG-BT-100", "100 g tin", "Hộp thiếc 100 g", 230, "450000", "29.90", "27.50", 2
            ),
        ),
    ),
    ProductSpec(
        slug="shan-tuyet-green-tea",
        cooperative=coop.PHIN_HO.slug,
        group="beverages",
        ocop_stars=4,
        ocop_decision_number="1327/QĐ-UBND",
        certified_days_ago=560,
        hs_code="090210",
        customs_description="Green tea, dried leaves",
        net_weights=(100, 200, 500),
        shelf_life_days=540,
        name_en="Shan Tuyết green tea",
        name_vi="Trà xanh Shan Tuyết",
        description_en=(
            "One bud and two leaves, pan-fired and rolled by hand the day they are picked. A "
            "bright green-gold cup with the sweetness of mountain tea."
        ),
        description_vi=(
            "Một tôm hai lá, sao chảo và vò tay ngay trong ngày hái. Nước xanh vàng sáng, vị "
            "ngọt đặc trưng của chè vùng cao."
        ),
        story_en="Mr Triệu Tiến Lở, 64, learnt to roast tea from his father on the same stove.",
        story_vi="Ông Triệu Tiến Lở, 64 tuổi, học sao chè từ cha mình trên chính bếp lò ấy.",
        variants=(
            VariantSpec("HG-TX-100", "100 g pouch", "Túi 100 g", 120, "150000", "9.90", "9.10", 3),
            VariantSpec(
                "HG-TX-200", "200 g tin", "Hộp thiếc 200 g", 280, "280000", "17.90", "16.50", 4
            ),
            VariantSpec(
                "HG-TX-500",
                "500 g bag",
                "Túi 500 g",
                530,
                "650000",
                "39.00",
                "36.00",
                5,
                batches=3,
            ),
        ),
    ),
    ProductSpec(
        slug="tan-cuong-green-tea",
        cooperative=coop.TAN_CUONG.slug,
        group="beverages",
        ocop_stars=5,
        ocop_decision_number="4015/QĐ-UBND",
        certified_days_ago=180,
        hs_code="090210",
        customs_description="Green tea, dried leaves",
        net_weights=(100, 200),
        shelf_life_days=540,
        name_en="Tân Cương green tea",
        name_vi="Chè Tân Cương Thái Nguyên",
        description_en=(
            "Hook-shaped leaves roasted over wood fires; a clear green cup, a brisk first sip "
            "and the sweet aftertaste Thái Nguyên tea is known for."
        ),
        description_vi=(
            "Cánh chè xoăn móc câu sao trên bếp củi; nước xanh trong, chát dịu đầu lưỡi và ngọt "
            "hậu đặc trưng của chè Thái."
        ),
        story_en="The cooperative's oldest member, Mrs Hảo, has picked tea for sixty springs.",
        story_vi="Thành viên cao tuổi nhất, bà Hảo, đã hái chè sáu mươi mùa xuân.",
        variants=(
            VariantSpec("TC-CHE-100", "100 g pouch", "Túi 100 g", 115, "120000", "8.50", "7.90", 1),
            VariantSpec(
                "TC-CHE-200", "200 g tin", "Hộp thiếc 200 g", 290, "250000", "15.90", "14.60", 2
            ),
        ),
    ),
    ProductSpec(
        slug="moc-chau-oolong-tea",
        cooperative=coop.MOC_CHAU.slug,
        group="beverages",
        ocop_stars=4,
        ocop_decision_number="2234/QĐ-UBND",
        certified_days_ago=700,
        hs_code="090230",
        customs_description="Oolong tea (partly fermented), dried leaves",
        net_weights=(100, 250),
        shelf_life_days=730,
        name_en="Mộc Châu oolong tea",
        name_vi="Trà ô long Mộc Châu",
        description_en=(
            "Half-oxidised and rolled into tight pearls that open slowly over several "
            "infusions. Orchid notes, a buttery body and a clean finish."
        ),
        description_vi=(
            "Lên men một nửa, vo thành viên chặt, nở dần qua nhiều lần pha. Hương lan, vị béo "
            "nhẹ và hậu sạch."
        ),
        story_en="Cool nights on the plateau slow the leaves down and make them sweeter.",
        story_vi="Đêm lạnh trên cao nguyên làm lá chè lớn chậm và ngọt hơn.",
        variants=(
            VariantSpec("MC-OL-100", "100 g pouch", "Túi 100 g", 120, "130000", "9.50", "8.70", 3),
            VariantSpec(
                "MC-OL-250", "250 g tin", "Hộp thiếc 250 g", 330, "300000", "19.90", "18.30", 4
            ),
        ),
    ),
    ProductSpec(
        slug="buon-ma-thuot-robusta-beans",
        cooperative=coop.CU_MGAR.slug,
        group="beverages",
        ocop_stars=5,
        ocop_decision_number="3518/QĐ-UBND",
        certified_days_ago=90,
        hs_code="090121",
        customs_description="Coffee beans, roasted (robusta)",
        net_weights=(250, 500, 1000),
        shelf_life_days=365,
        name_en="Buôn Ma Thuột robusta beans",
        name_vi="Cà phê hạt Robusta Buôn Ma Thuột",
        description_en=(
            "Red-cherry robusta, sun-dried and medium-roasted in small batches. Dark chocolate, "
            "a little smoke and the strength of a true Vietnamese coffee."
        ),
        description_vi=(
            "Cà phê vối hái chín đỏ, phơi nắng và rang vừa theo mẻ nhỏ. Vị sô-cô-la đắng, "
            "thoảng khói và đậm đà đúng chất cà phê Việt."
        ),
        story_en="Ms H’Linh Niê came home from the city to take over her mother's garden.",
        story_vi="Chị H’Linh Niê rời thành phố về tiếp quản vườn cà phê của mẹ.",
        variants=(
            VariantSpec("BMT-RB-250", "250 g bag", "Túi 250 g", 260, "95000", "8.90", "8.20", 1),
            VariantSpec("BMT-RB-500", "500 g bag", "Túi 500 g", 510, "180000", "15.90", "14.60", 2),
            VariantSpec(
                "BMT-RB-1KG",
                "1 kg bag",
                "Túi 1 kg",
                1020,
                "340000",
                "28.00",
                "25.80",
                3,
                batches=3,
            ),
        ),
    ),
    ProductSpec(
        slug="buon-ma-thuot-phin-coffee",
        cooperative=coop.CU_MGAR.slug,
        group="beverages",
        ocop_stars=4,
        ocop_decision_number="3518/QĐ-UBND",
        certified_days_ago=90,
        hs_code="090121",
        customs_description="Coffee, roasted and ground (robusta)",
        net_weights=(250, 600),
        shelf_life_days=270,
        name_en="Buôn Ma Thuột phin coffee",
        name_vi="Cà phê phin Buôn Ma Thuột",
        description_en=(
            "Ground for the phin, the little metal filter of every Vietnamese café. Brew it "
            "slowly over condensed milk and pour on ice for cà phê sữa đá."
        ),
        description_vi=(
            "Xay sẵn để pha phin. Pha chậm trên lớp sữa đặc rồi thêm đá là có ly cà phê sữa đá."
        ),
        story_en="Our roaster, Mr Y Bhiăn, tunes each roast by the sound of the first crack.",
        story_vi="Anh Y Bhiăn, thợ rang của chúng tôi, canh từng mẻ bằng tiếng nổ đầu tiên.",
        variants=(
            VariantSpec("BMT-PH-250", "250 g ground", "Bột 250 g", 260, "85000", "7.90", "7.30", 4),
            VariantSpec(
                "BMT-PH-GIFT",
                "500 g with a phin filter",
                "500 g kèm phin",
                700,
                "250000",
                "21.50",
                "19.80",
                5,
            ),
        ),
    ),
    ProductSpec(
        slug="phu-quoc-sim-wine",
        cooperative=coop.PHU_QUOC.slug,
        group="beverages",
        ocop_stars=3,
        ocop_decision_number="1562/QĐ-UBND",
        certified_days_ago=640,
        hs_code="220600",
        customs_description="Fruit wine (rose myrtle), bottled",
        net_weights=(370, 740),
        # Alcohol pays the standard VAT rate almost everywhere, not the food rate.
        tax_category="standard",
        shelf_life_days=1095,
        name_en="Phú Quốc rose-myrtle wine",
        name_vi="Rượu sim Phú Quốc",
        description_en=(
            "Wild rose-myrtle berries from the island's hills, fermented and aged in jars. "
            "Deep purple, fruity and gently tannic; 13% alcohol."
        ),
        description_vi=(
            "Trái sim rừng trên đồi đảo, lên men và ủ trong chum. Màu tím sẫm, thơm vị trái "
            "cây, chát nhẹ; 13 độ cồn."
        ),
        story_en="Sim berries are picked wild in late summer by families from Hàm Ninh.",
        story_vi="Cuối hè, các gia đình Hàm Ninh lên đồi hái sim rừng.",
        second_village=coop.HAM_NINH,
        variants=(
            VariantSpec(
                "PQ-SIM-375", "375 ml bottle", "Chai 375 ml", 700, "120000", "11.50", "10.60", 5
            ),
            VariantSpec(
                "PQ-SIM-750", "750 ml bottle", "Chai 750 ml", 1250, "220000", "19.90", "18.30", 6
            ),
        ),
    ),
)

"""Demo products of the OCOP groups textiles and handicrafts.

Crafts keep no best-before in real life; their batches get one ten years out, because a
batch always has one.
"""

from shop.demo import cooperatives as coop
from shop.demo.specs import ProductSpec, Stock, VariantSpec

CRAFT_SHELF_LIFE_DAYS = 3650

TEXTILES: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="van-phuc-silk-scarf",
        cooperative=coop.VAN_PHUC.slug,
        group="textiles",
        tax_category="standard",
        ocop_stars=5,
        ocop_decision_number="5123/QĐ-UBND",
        certified_days_ago=380,
        hs_code="621410",
        customs_description="Silk scarf, woven",
        net_weights=(60, 60),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Vạn Phúc silk scarf",
        name_vi="Khăn lụa Vạn Phúc",
        description_en=(
            "A long scarf of pure mulberry silk, 180 × 50 cm, woven on a jacquard loom and "
            "dyed with plants. Light, cool in summer and warm in winter."
        ),
        description_vi=(
            "Khăn dài bằng lụa tơ tằm, 180 × 50 cm, dệt trên khung jacquard và nhuộm màu thực "
            "vật. Nhẹ, mát mùa hè, ấm mùa đông."
        ),
        story_en="Mrs Triệu Thị Chinh has woven in Vạn Phúc for fifty years.",
        story_vi="Bà Triệu Thị Chinh đã dệt lụa ở Vạn Phúc năm mươi năm.",
        variants=(
            VariantSpec(
                "VP-KHAN-SEN",
                "Lotus pink",
                "Hồng sen",
                80,
                "650000",
                "39.00",
                "35.90",
                1,
                received=18,
                stock=Stock.NEARLY_SOLD_OUT,
            ),
            VariantSpec(
                "VP-KHAN-CHAM",
                "Indigo",
                "Xanh chàm",
                80,
                "650000",
                "39.00",
                "35.90",
                2,
                received=18,
            ),
        ),
    ),
    ProductSpec(
        slug="van-phuc-cloud-silk",
        cooperative=coop.VAN_PHUC.slug,
        group="textiles",
        tax_category="standard",
        ocop_stars=4,
        ocop_decision_number="5123/QĐ-UBND",
        certified_days_ago=380,
        hs_code="500720",
        customs_description="Woven silk fabric",
        net_weights=(70, 210),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Vạn Phúc cloud-pattern silk",
        name_vi="Lụa vân Vạn Phúc",
        description_en=(
            "The village's signature fabric, 90 cm wide, with a cloud pattern that appears "
            "and fades as the light moves. Sold by the length, for an áo dài or a shirt."
        ),
        description_vi=(
            "Loại lụa đặc trưng của làng, khổ 90 cm, hoa văn vân mây ẩn hiện theo ánh sáng. Bán "
            "theo khúc, đủ may áo dài hoặc áo sơ mi."
        ),
        story_en="The cloud pattern is punched into cards that still drive the old looms.",
        story_vi="Hoa văn vân mây được đục trên bìa go vẫn điều khiển những khung dệt cũ.",
        variants=(
            VariantSpec(
                "VP-LUA-1M",
                "1 metre length",
                "Khúc 1 mét",
                90,
                "420000",
                "26.00",
                "23.90",
                3,
                received=30,
            ),
            VariantSpec(
                "VP-LUA-3M",
                "3 metre length",
                "Khúc 3 mét",
                270,
                "1200000",
                "72.00",
                "66.00",
                4,
                received=20,
            ),
        ),
    ),
    ProductSpec(
        slug="red-dao-embroidered-bag",
        cooperative=coop.TA_PHIN.slug,
        group="textiles",
        tax_category="standard",
        ocop_stars=3,
        ocop_decision_number="1433/QĐ-UBND",
        certified_days_ago=330,
        hs_code="420222",
        customs_description="Textile bag, hand-embroidered",
        net_weights=(250, 70),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Red Dao embroidered bag",
        name_vi="Túi thổ cẩm thêu tay Dao đỏ",
        description_en=(
            "Indigo cotton embroidered by hand in cross-stitch with the red, yellow and white "
            "motifs of the Red Dao: pine trees, stars and the dog's footprint."
        ),
        description_vi=(
            "Vải bông nhuộm chàm thêu tay mũi chữ thập với hoa văn đỏ, vàng, trắng của người Dao "
            "đỏ: cây thông, ngôi sao và dấu chân chó."
        ),
        story_en="A shoulder bag takes its maker about two weeks of winter evenings.",
        story_vi="Mỗi chiếc túi đeo vai mất chừng hai tuần thêu vào những tối mùa đông.",
        variants=(
            VariantSpec(
                "SP-TUI-VAI",
                "Shoulder bag",
                "Túi đeo vai",
                300,
                "450000",
                "29.00",
                "26.70",
                3,
                received=16,
            ),
            VariantSpec(
                "SP-TUI-NHO",
                "Small pouch",
                "Ví nhỏ",
                90,
                "150000",
                "11.00",
                "10.10",
                4,
                received=30,
            ),
        ),
    ),
)

HANDICRAFTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="bat-trang-crackle-tea-set",
        cooperative=coop.BAT_TRANG.slug,
        group="handicrafts",
        tax_category="standard",
        ocop_stars=5,
        ocop_decision_number="6204/QĐ-UBND",
        certified_days_ago=820,
        hs_code="691200",
        customs_description="Ceramic (stoneware) tea set",
        net_weights=(1200,),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Bát Tràng crackle-glaze tea set",
        name_vi="Bộ ấm chén men rạn Bát Tràng",
        description_en=(
            "A teapot and six cups thrown on the wheel and glazed in ash-grey crackle; the fine "
            "lines darken with every pot of tea."
        ),
        description_vi=(
            "Một ấm và sáu chén chuốt trên bàn xoay, phủ men rạn xám tro; những vết rạn nhỏ sẫm "
            "màu dần theo từng ấm trà."
        ),
        story_en="The crackle appears as the glaze cools faster than the clay beneath it.",
        story_vi="Vết rạn hình thành khi lớp men nguội nhanh hơn phần xương gốm bên dưới.",
        variants=(
            VariantSpec(
                "BT-AM-RAN",
                "Teapot and 6 cups",
                "Ấm và 6 chén",
                1600,
                "890000",
                "54.00",
                "49.50",
                1,
                received=20,
            ),
        ),
    ),
    ProductSpec(
        slug="bat-trang-blue-white-vase",
        cooperative=coop.BAT_TRANG.slug,
        group="handicrafts",
        tax_category="standard",
        ocop_stars=4,
        ocop_decision_number="6204/QĐ-UBND",
        certified_days_ago=820,
        hs_code="691390",
        customs_description="Ceramic (stoneware) vase, decorative",
        net_weights=(850, 2100),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Bát Tràng blue-and-white vase",
        name_vi="Lọ hoa men lam Bát Tràng",
        description_en=(
            "A vase painted by hand in cobalt blue with lotus and dragonflies, after the "
            "patterns of fifteenth-century Bát Tràng ware."
        ),
        description_vi=(
            "Lọ hoa vẽ tay men lam với hoa sen và chuồn chuồn, theo hoa văn gốm Bát Tràng thế "
            "kỷ mười lăm."
        ),
        story_en="Painter Lê Văn Hùng signs the foot of every vase.",
        story_vi="Họa sĩ Lê Văn Hùng ký tên dưới đáy từng chiếc lọ.",
        variants=(
            VariantSpec(
                "BT-LO-25",
                "25 cm high",
                "Cao 25 cm",
                1100,
                "650000",
                "39.00",
                "35.90",
                2,
                received=16,
            ),
            VariantSpec(
                "BT-LO-40",
                "40 cm high",
                "Cao 40 cm",
                2600,
                "1450000",
                "85.00",
                "78.00",
                3,
                received=10,
            ),
        ),
    ),
    ProductSpec(
        slug="tuong-binh-hiep-lacquerware",
        cooperative=coop.TUONG_BINH_HIEP.slug,
        group="handicrafts",
        tax_category="standard",
        ocop_stars=4,
        ocop_decision_number="2675/QĐ-UBND",
        certified_days_ago=450,
        hs_code="442090",
        customs_description="Lacquered wooden box or coasters",
        net_weights=(350, 300),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Tương Bình Hiệp lacquerware",
        name_vi="Đồ sơn mài Tương Bình Hiệp",
        description_en=(
            "Wooden pieces finished in twenty layers of natural lacquer, inlaid with duck "
            "eggshell and polished by hand to a deep, warm shine."
        ),
        description_vi=(
            "Cốt gỗ phủ hai mươi lớp sơn ta, khảm vỏ trứng vịt và đánh bóng bằng tay tới độ "
            "sâu, ấm."
        ),
        story_en="A jewellery box spends three months between the lacquer room and the sander.",
        story_vi="Một hộp nữ trang mất ba tháng qua lại giữa buồng ủ và bàn mài.",
        variants=(
            VariantSpec(
                "TBH-HOP",
                "Eggshell jewellery box",
                "Hộp nữ trang khảm trứng",
                450,
                "780000",
                "46.00",
                "42.50",
                1,
                received=14,
            ),
            VariantSpec(
                "TBH-LOT-6",
                "Set of 6 coasters",
                "Bộ 6 lót ly",
                380,
                "350000",
                "22.00",
                "20.20",
                2,
                received=24,
            ),
        ),
    ),
    ProductSpec(
        slug="kim-son-sedge-basket",
        cooperative=coop.KIM_SON.slug,
        group="handicrafts",
        tax_category="standard",
        ocop_stars=3,
        # Certified 40 months ago: the certificate has expired and is awaiting renewal.
        ocop_decision_number="1890/QĐ-UBND",
        certified_days_ago=1230,
        hs_code="460219",
        customs_description="Basket of woven sedge",
        net_weights=(200, 500),
        shelf_life_days=CRAFT_SHELF_LIFE_DAYS,
        name_en="Kim Sơn sedge basket",
        name_vi="Giỏ cói Kim Sơn",
        description_en=(
            "Baskets plaited from sun-dried sedge, light, strong and a little fragrant. For "
            "bread, fruit, laundry or toys."
        ),
        description_vi=(
            "Giỏ đan từ cói phơi nắng, nhẹ, bền và thoang thoảng mùi cói. Đựng bánh, hoa quả, "
            "quần áo hay đồ chơi."
        ),
        story_en="Mrs Nguyễn Thị Lan plaits a large basket in a day, between two rice harvests.",
        story_vi="Bà Nguyễn Thị Lan đan xong một chiếc giỏ lớn trong một ngày, giữa hai vụ lúa.",
        variants=(
            VariantSpec(
                "KS-GIO-NHO",
                "Small basket",
                "Giỏ nhỏ",
                250,
                "120000",
                "9.50",
                "8.70",
                1,
                received=30,
            ),
            VariantSpec(
                "KS-GIO-LON",
                "Large storage basket",
                "Giỏ lớn",
                600,
                "260000",
                "18.90",
                "17.40",
                2,
                received=20,
            ),
        ),
    ),
)

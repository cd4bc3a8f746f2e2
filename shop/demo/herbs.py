"""Demo products of the OCOP group herbs and herbal products."""

from shop.demo import cooperatives as coop
from shop.demo.specs import ProductSpec, Stock, VariantSpec

HERBS: tuple[ProductSpec, ...] = (
    ProductSpec(
        slug="ngoc-linh-ginseng-in-honey",
        cooperative=coop.NGOC_LINH.slug,
        group="herbs",
        ocop_stars=5,
        ocop_decision_number="2102/QĐ-UBND",
        certified_days_ago=200,
        hs_code="200899",
        customs_description="Ginseng root preserved in honey",
        net_weights=(250,),
        shelf_life_days=730,
        name_en="Ngọc Linh ginseng in honey",
        name_vi="Sâm Ngọc Linh ngâm mật ong",
        description_en=(
            "Thin slices of five-year Ngọc Linh ginseng root steeped in forest honey. Take a "
            "slice and a spoonful of honey in warm water in the morning."
        ),
        description_vi=(
            "Sâm Ngọc Linh năm năm tuổi thái lát mỏng, ngâm trong mật ong rừng. Mỗi sáng dùng "
            "một lát sâm và một thìa mật pha nước ấm."
        ),
        story_en="Each root is tagged in the forest and traced from its bed to the jar.",
        story_vi="Mỗi củ sâm được gắn mã ngay trong rừng và truy xuất từ luống tới hũ.",
        variants=(
            VariantSpec(
                "NL-SAM-MO250",
                "250 g jar",
                "Hũ 250 g",
                450,
                "2800000",
                "159.00",
                "146.00",
                1,
                received=24,
                stock=Stock.NEARLY_SOLD_OUT,
            ),
        ),
    ),
    ProductSpec(
        slug="ngoc-linh-ginseng-leaf-tea",
        cooperative=coop.NGOC_LINH.slug,
        group="herbs",
        ocop_stars=4,
        ocop_decision_number="2102/QĐ-UBND",
        certified_days_ago=200,
        hs_code="121190",
        customs_description="Ginseng leaf herbal tea, dried",
        net_weights=(40, 100),
        shelf_life_days=540,
        name_en="Ngọc Linh ginseng leaf tea",
        name_vi="Trà lá sâm Ngọc Linh",
        description_en=(
            "Leaves and flower buds of the ginseng plant, dried at low heat. Bitter-sweet and "
            "earthy; a gentle way to taste Ngọc Linh ginseng."
        ),
        description_vi=(
            "Lá và nụ hoa sâm sấy ở nhiệt độ thấp. Vị đắng trước ngọt sau, hương đất rừng; cách "
            "nhẹ nhàng để thưởng thức sâm Ngọc Linh."
        ),
        story_en="Leaves are cut only in autumn, when the plant no longer needs them.",
        story_vi="Lá chỉ được cắt vào mùa thu, khi cây sâm không còn cần đến.",
        variants=(
            VariantSpec(
                "NL-TRA-20",
                "Box of 20 tea bags",
                "Hộp 20 túi lọc",
                80,
                "350000",
                "24.00",
                "22.00",
                2,
            ),
            VariantSpec(
                "NL-TRA-100", "100 g tin", "Hộp thiếc 100 g", 150, "1200000", "69.00", "63.50", 3
            ),
        ),
    ),
    ProductSpec(
        slug="red-dao-herbal-bath",
        cooperative=coop.TA_PHIN.slug,
        group="herbs",
        ocop_stars=4,
        ocop_decision_number="1433/QĐ-UBND",
        certified_days_ago=330,
        hs_code="121190",
        customs_description="Dried herbs for bathing (not for eating)",
        net_weights=(400, 510),
        shelf_life_days=540,
        name_en="Red Dao herbal bath",
        name_vi="Lá tắm người Dao đỏ",
        description_en=(
            "A blend of forest leaves, bark and roots the Red Dao boil for a warming bath after "
            "a day in the fields or after childbirth. One sachet makes one bath."
        ),
        description_vi=(
            "Hỗn hợp lá, vỏ và rễ cây rừng người Dao đỏ đun nước tắm cho ấm người sau ngày làm "
            "nương hay sau khi sinh. Mỗi gói dùng cho một lần tắm."
        ),
        story_en="The recipe passes from mother to daughter and is never written down.",
        story_vi="Bài thuốc truyền từ mẹ sang con gái và không bao giờ được viết ra.",
        variants=(
            VariantSpec(
                "SP-LT-10", "10 bath sachets", "10 gói lá tắm", 500, "120000", "9.90", "9.10", 1
            ),
            VariantSpec(
                "SP-LT-500ML",
                "500 ml concentrate",
                "Cao lá tắm 500 ml",
                620,
                "180000",
                "14.50",
                "13.30",
                2,
            ),
        ),
    ),
)

"""The demo cooperatives: fifteen village cooperatives in fourteen provinces.

Provinces and communes carry their names after the 2025 merger (Hà Giang is now part of
Tuyên Quang, Sóc Trăng of Cần Thơ, Kon Tum of Quảng Ngãi, Bình Dương of Hồ Chí Minh City).
The cooperatives themselves are invented, in the style of real OCOP producers.
"""

from shop.demo.specs import CooperativeSpec, VillageSpec

PHU_QUOC = CooperativeSpec(
    slug="duong-dong-fish-sauce",
    name="HTX Nước mắm Dương Đông",
    province="an-giang",
    village=VillageSpec("Dương Đông", "Đặc khu Phú Quốc", "10.21700", "103.96000"),
    address="Khu phố 2, Dương Đông, Đặc khu Phú Quốc, An Giang",
    story_en=(
        "Eleven barrel houses on the Dương Đông river founded the cooperative in 2009 so that "
        "small makers could share a laboratory and the papers export needs. They still salt "
        "black anchovies caught off the island that same morning and age them in barrels of "
        "bời lời wood, as their grandparents did."
    ),
    story_vi=(
        "Mười một nhà thùng bên sông Dương Đông lập hợp tác xã năm 2009 để các cơ sở nhỏ dùng "
        "chung phòng kiểm nghiệm và giấy tờ xuất khẩu. Họ vẫn muối cá cơm than đánh bắt ngay "
        "sáng hôm đó và ủ trong thùng gỗ bời lời như ông bà ngày trước."
    ),
    email="hello@duongdong-fishsauce.example",
    phone="+84 297 3846 210",
    gs1_prefix="8936011",
)

PHIN_HO = CooperativeSpec(
    slug="phin-ho-shan-tuyet-tea",
    name="HTX Chè Shan Tuyết Phìn Hồ",
    province="tuyen-quang",
    village=VillageSpec("Phìn Hồ", "Xã Thông Nguyên", "22.64100", "104.63900"),
    address="Thôn Phìn Hồ, Xã Thông Nguyên, Tuyên Quang",
    story_en=(
        "At 1,300 metres above Hoàng Su Phì, Dao families tend Shan Tuyết tea trees that are "
        "two to four hundred years old. Nobody planted them in rows and nobody sprays them: "
        "pickers climb the trunks in spring for buds covered in a white down, like frost."
    ),
    story_vi=(
        "Ở độ cao 1.300 mét trên Hoàng Su Phì, các gia đình người Dao chăm những cây chè Shan "
        "Tuyết hai đến bốn trăm năm tuổi. Không ai trồng thành hàng, không ai phun thuốc: mùa "
        "xuân người hái trèo lên thân cây lấy búp phủ lông tơ trắng như sương."
    ),
    email="hello@phinho-tea.example",
    phone="+84 219 3836 405",
    gs1_prefix="8936012",
)

TAN_CUONG = CooperativeSpec(
    slug="hong-thai-tan-cuong-tea",
    name="HTX Chè Hồng Thái Tân Cương",
    province="thai-nguyen",
    village=VillageSpec("Hồng Thái", "Xã Tân Cương", "21.55300", "105.76700"),
    address="Xóm Hồng Thái, Xã Tân Cương, Thái Nguyên",
    story_en=(
        "Thirty-two households on the slopes beside the Công river pick tea by hand, one bud "
        "and two leaves, and roast it the same day in iron pans over wood fires. The hook-"
        "shaped leaves and the sweet aftertaste are what people mean by 'Thái Nguyên tea'."
    ),
    story_vi=(
        "Ba mươi hai hộ trên những đồi chè bên sông Công hái tay một tôm hai lá và sao ngay "
        "trong ngày bằng chảo gang trên bếp củi. Cánh chè xoăn móc câu và vị ngọt hậu chính là "
        "điều người ta nói tới khi nhắc đến 'chè Thái'."
    ),
    email="hello@tancuong-tea.example",
    phone="+84 208 3852 117",
    gs1_prefix="8936013",
)

BAT_TRANG = CooperativeSpec(
    slug="bat-trang-ceramics",
    name="HTX Gốm Bát Tràng Bến Xưa",
    province="ha-noi",
    village=VillageSpec("Bát Tràng", "Xã Bát Tràng", "20.97600", "105.91200"),
    address="Thôn Bát Tràng, Xã Bát Tràng, Hà Nội",
    story_en=(
        "Potters have worked the white clay on the Red River's bank at Bát Tràng for more "
        "than five hundred years. Nine family workshops share the cooperative's gas kiln and "
        "its glaze recipes, from ash-grey crackle to cobalt blue painted by hand."
    ),
    story_vi=(
        "Thợ gốm làm đất sét trắng bên bờ sông Hồng ở Bát Tràng đã hơn năm trăm năm. Chín "
        "xưởng gia đình dùng chung lò ga và công thức men của hợp tác xã, từ men rạn xám tro "
        "đến men lam vẽ tay."
    ),
    email="hello@battrang-ceramics.example",
    phone="+84 24 3874 0392",
    gs1_prefix="8936014",
)

VAN_PHUC = CooperativeSpec(
    slug="van-phuc-silk",
    name="HTX Lụa Vạn Phúc",
    province="ha-noi",
    village=VillageSpec("Vạn Phúc", "Phường Hà Đông", "20.97950", "105.77400"),
    address="Làng lụa Vạn Phúc, Phường Hà Đông, Hà Nội",
    story_en=(
        "Vạn Phúc has woven silk for over a thousand years; its cloud-pattern silk once "
        "dressed the court at Huế. Twenty weavers keep the old jacquard looms clicking and dye "
        "with indigo, sappanwood and lotus-leaf baths."
    ),
    story_vi=(
        "Vạn Phúc dệt lụa đã hơn một nghìn năm; lụa vân của làng từng được may áo cho triều "
        "đình Huế. Hai mươi thợ dệt giữ những khung dệt jacquard cổ và nhuộm bằng chàm, gỗ vang "
        "và lá sen."
    ),
    email="hello@vanphuc-silk.example",
    phone="+84 24 3382 6151",
    gs1_prefix="8936015",
)

TUONG_BINH_HIEP = CooperativeSpec(
    slug="tuong-binh-hiep-lacquer",
    name="HTX Sơn mài Tương Bình Hiệp",
    province="ho-chi-minh",
    village=VillageSpec("Tương Bình Hiệp", "Phường Chánh Hiệp", "11.01600", "106.66800"),
    address="Khu phố 3, Phường Chánh Hiệp, Thành phố Hồ Chí Minh",
    story_en=(
        "Lacquer in Tương Bình Hiệp takes months: resin from the sơn tree is brushed on in "
        "up to twenty layers, each dried in a damp room and sanded by hand, with crushed duck "
        "eggshell and mother-of-pearl set between them."
    ),
    story_vi=(
        "Sơn mài Tương Bình Hiệp làm trong nhiều tháng: nhựa cây sơn được quét tới hai mươi "
        "lớp, mỗi lớp ủ trong buồng ẩm rồi mài tay, xen giữa là vỏ trứng vịt và xà cừ."
    ),
    email="hello@tuongbinhhiep-lacquer.example",
    phone="+84 274 3831 760",
    gs1_prefix="8936016",
)

HONG_NAM = CooperativeSpec(
    slug="hong-nam-longan",
    name="HTX Nhãn lồng Hồng Nam",
    province="hung-yen",
    village=VillageSpec("Hồng Nam", "Phường Hồng Châu", "20.63600", "106.07500"),
    address="Thôn Hồng Nam, Phường Hồng Châu, Hưng Yên",
    story_en=(
        "Our orchards grow a few kilometres from the 'ancestor longan tree' of Phố Hiến, whose "
        "fruit was sent to the royal court. Forty growers pick the nhãn lồng in August, and "
        "what is not sold fresh is peeled and dried over charcoal in the village."
    ),
    story_vi=(
        "Vườn của chúng tôi cách cây nhãn tổ Phố Hiến, nơi quả từng được tiến vua, chỉ vài cây "
        "số. Bốn mươi hộ hái nhãn lồng vào tháng Tám; phần không bán tươi được bóc và sấy than "
        "ngay trong làng."
    ),
    email="hello@hongnam-longan.example",
    phone="+84 221 3862 048",
    gs1_prefix="8936017",
)

MOC_CHAU = CooperativeSpec(
    slug="moc-chau-highland-farm",
    name="HTX Nông sản Thảo Nguyên Mộc Châu",
    province="son-la",
    village=VillageSpec("Thảo Nguyên", "Phường Thảo Nguyên", "20.84800", "104.64200"),
    address="Tiểu khu 19/5, Phường Thảo Nguyên, Sơn La",
    story_en=(
        "On the Mộc Châu plateau, 1,050 metres up, tea has grown since the state farm of 1958. "
        "Our members are tea growers and beekeepers who move their hives through the year, "
        "following the plum, longan and wildflower blossom across the Northwest."
    ),
    story_vi=(
        "Trên cao nguyên Mộc Châu ở độ cao 1.050 mét, chè được trồng từ thời nông trường năm "
        "1958. Thành viên của chúng tôi là người trồng chè và người nuôi ong, di chuyển đàn ong "
        "quanh năm theo mùa hoa mận, hoa nhãn và hoa rừng Tây Bắc."
    ),
    email="hello@mocchau-farm.example",
    phone="+84 212 3866 512",
    gs1_prefix="8936018",
)

SOC_TRANG = CooperativeSpec(
    slug="ho-dac-kien-rice",
    name="HTX Lúa gạo Hồ Đắc Kiện",
    province="can-tho",
    village=VillageSpec("Hồ Đắc Kiện", "Xã Hồ Đắc Kiện", "9.55000", "105.87000"),
    address="Ấp Phước Hòa, Xã Hồ Đắc Kiện, Thành phố Cần Thơ",
    story_en=(
        "ST25 was bred in Sóc Trăng by engineer Hồ Quang Cua and his team, and named the "
        "world's best rice in 2019. Our 120 families grow it in rotation with shrimp on "
        "brackish fields, which leaves no room for chemical pesticides."
    ),
    story_vi=(
        "ST25 do kỹ sư Hồ Quang Cua và cộng sự lai tạo ở Sóc Trăng, đạt danh hiệu gạo ngon "
        "nhất thế giới năm 2019. 120 hộ thành viên trồng luân canh lúa – tôm trên ruộng nước "
        "lợ, nên không dùng thuốc trừ sâu hóa học."
    ),
    email="hello@hodackien-rice.example",
    phone="+84 299 3851 377",
    gs1_prefix="8936019",
)

CO_TO = CooperativeSpec(
    slug="co-to-seafood",
    name="HTX Hải sản Cô Tô",
    province="quang-ninh",
    village=VillageSpec("Cô Tô", "Đặc khu Cô Tô", "20.97800", "107.76300"),
    address="Khu 3, Đặc khu Cô Tô, Quảng Ninh",
    story_en=(
        "Cô Tô's boats go out at dusk to the edge of Hạ Long Bay and fish squid by lamplight. "
        "The catch is cleaned on the quay at dawn and dried on bamboo racks in the sea wind, "
        "three days of sun and nothing else."
    ),
    story_vi=(
        "Thuyền Cô Tô ra khơi lúc chiều tối tới rìa vịnh Hạ Long, câu mực bằng ánh đèn. Mực "
        "được làm sạch trên cầu cảng lúc bình minh rồi phơi trên giàn tre trong gió biển, ba "
        "nắng và không thêm gì khác."
    ),
    email="hello@coto-seafood.example",
    phone="+84 203 3889 024",
    gs1_prefix="8936020",
)

NGOC_LINH = CooperativeSpec(
    slug="ngoc-linh-ginseng",
    name="HTX Sâm Ngọc Linh Đăk Glei",
    province="quang-ngai",
    village=VillageSpec("Ngọc Linh", "Xã Ngọc Linh", "15.06000", "107.93000"),
    address="Thôn Đăk Răng, Xã Ngọc Linh, Quảng Ngãi",
    story_en=(
        "Ngọc Linh ginseng (Panax vietnamensis) was described by Vietnamese botanists in 1973 "
        "and grows only on the slopes of Mount Ngọc Linh. Xơ Đăng families raise it under the "
        "forest canopy above 1,800 metres and dig a root only after five years or more."
    ),
    story_vi=(
        "Sâm Ngọc Linh (Panax vietnamensis) được các nhà thực vật Việt Nam phát hiện năm 1973 "
        "và chỉ mọc trên sườn núi Ngọc Linh. Các gia đình người Xơ Đăng trồng sâm dưới tán rừng "
        "ở độ cao trên 1.800 mét và chỉ thu củ sau năm năm trở lên."
    ),
    email="hello@ngoclinh-ginseng.example",
    phone="+84 260 3828 930",
    gs1_prefix="8936021",
)

CU_MGAR = CooperativeSpec(
    slug="cu-mgar-coffee",
    name="HTX Cà phê Cư M’gar",
    province="dak-lak",
    village=VillageSpec("Cư M’gar", "Xã Cư M’gar", "12.87500", "108.09000"),
    address="Buôn Ea Kmar, Xã Cư M’gar, Đắk Lắk",
    story_en=(
        "Ê Đê and Kinh farmers north of Buôn Ma Thuột grow robusta on red basalt soil, under "
        "the protected Buôn Ma Thuột coffee origin. They pick only ripe red cherries, dry them "
        "on brick yards and roast in small drums at the cooperative."
    ),
    story_vi=(
        "Nông dân Ê Đê và Kinh phía bắc Buôn Ma Thuột trồng cà phê vối trên đất đỏ bazan, thuộc "
        "chỉ dẫn địa lý cà phê Buôn Ma Thuột. Họ chỉ hái quả chín đỏ, phơi trên sân gạch và rang "
        "mẻ nhỏ ngay tại hợp tác xã."
    ),
    email="hello@cumgar-coffee.example",
    phone="+84 262 3834 681",
    gs1_prefix="8936022",
)

NAM_CAN = CooperativeSpec(
    slug="nam-can-shrimp",
    name="HTX Tôm sinh thái Năm Căn",
    province="ca-mau",
    village=VillageSpec("Năm Căn", "Xã Năm Căn", "8.76000", "104.99500"),
    address="Ấp Cái Nai, Xã Năm Căn, Cà Mau",
    story_en=(
        "At the southern tip of Vietnam, shrimp live in ponds under the mangrove forest, fed "
        "by the tides and nothing else. Our members boil, sun-dry and hand-rub the shrimp "
        "until only the firm red body is left."
    ),
    story_vi=(
        "Ở mũi đất cực Nam, tôm sống trong ao dưới tán rừng ngập mặn, chỉ nhờ con nước thủy "
        "triều. Thành viên của chúng tôi luộc, phơi nắng và chà tay tôm cho tới khi chỉ còn "
        "thân tôm đỏ, chắc."
    ),
    email="hello@namcan-shrimp.example",
    phone="+84 290 3877 352",
    gs1_prefix="8936023",
)

TA_PHIN = CooperativeSpec(
    slug="ta-phin-red-dao",
    name="HTX Thổ cẩm và Dược liệu Tả Phìn",
    province="lao-cai",
    village=VillageSpec("Tả Phìn", "Xã Tả Phìn", "22.39300", "103.82800"),
    address="Thôn Tả Phìn, Xã Tả Phìn, Lào Cai",
    story_en=(
        "Red Dao women in Tả Phìn gather more than a hundred forest plants for the herbal bath "
        "their mothers taught them, and spend the winter embroidering indigo cloth with the "
        "patterns of their clan. The cooperative sells both, and shares what it earns."
    ),
    story_vi=(
        "Phụ nữ Dao đỏ ở Tả Phìn hái hơn trăm loại cây rừng cho nồi lá tắm mẹ truyền lại, và "
        "dành mùa đông thêu vải chàm bằng hoa văn của dòng họ. Hợp tác xã bán cả hai và chia "
        "đều thu nhập."
    ),
    email="hello@taphin-reddao.example",
    phone="+84 214 3871 295",
    gs1_prefix="8936024",
)

KIM_SON = CooperativeSpec(
    slug="kim-son-sedge",
    name="HTX Cói Kim Sơn",
    province="ninh-binh",
    village=VillageSpec("Kim Sơn", "Xã Kim Sơn", "20.05500", "106.09000"),
    address="Xóm 5, Xã Kim Sơn, Ninh Bình",
    story_en=(
        "Kim Sơn was won from the sea in 1829, and sedge was the first crop the salty land "
        "would take. Our weavers split, dry and plait it into baskets and mats in their homes "
        "between rice seasons."
    ),
    story_vi=(
        "Kim Sơn được khai hoang lấn biển từ năm 1829, và cói là cây trồng đầu tiên chịu được "
        "đất mặn. Thợ đan của chúng tôi chẻ, phơi và đan cói thành giỏ, chiếu ngay tại nhà giữa "
        "hai vụ lúa."
    ),
    email="hello@kimson-sedge.example",
    phone="+84 229 3863 447",
    gs1_prefix="8936025",
)

# Pepper gardens and sim hills on the east coast of Phú Quốc, a second origin for PHU_QUOC.
HAM_NINH = VillageSpec("Hàm Ninh", "Đặc khu Phú Quốc", "10.18000", "104.05000")

COOPERATIVES: tuple[CooperativeSpec, ...] = (
    PHU_QUOC,
    PHIN_HO,
    TAN_CUONG,
    BAT_TRANG,
    VAN_PHUC,
    TUONG_BINH_HIEP,
    HONG_NAM,
    MOC_CHAU,
    SOC_TRANG,
    CO_TO,
    NGOC_LINH,
    CU_MGAR,
    NAM_CAN,
    TA_PHIN,
    KIM_SON,
)

# The cooperative whose staff login the demo prints.
STAFF_COOPERATIVE = PHU_QUOC

# The brand each cooperative prints on its products' labels (shop.Product.brand), which the
# national minimum trace data (Circular 02/2024) shows beside the product.
BRANDS: dict[str, str] = {
    PHU_QUOC.slug: "Nhĩ Dương Đông",
    PHIN_HO.slug: "Phìn Hồ Shan Tuyết",
    TAN_CUONG.slug: "Chè Hồng Thái",
    BAT_TRANG.slug: "Gốm Bến Xưa",
    VAN_PHUC.slug: "Lụa Vạn Phúc",
    TUONG_BINH_HIEP.slug: "Sơn mài Tương Bình Hiệp",
    HONG_NAM.slug: "Nhãn lồng Hồng Nam",
    MOC_CHAU.slug: "Thảo Nguyên Mộc Châu",
    SOC_TRANG.slug: "Gạo Hồ Đắc Kiện",
    CO_TO.slug: "Hải sản Cô Tô",
    NGOC_LINH.slug: "Sâm Ngọc Linh Đăk Glei",
    CU_MGAR.slug: "Cà phê Cư M’gar",
    NAM_CAN.slug: "Tôm sinh thái Năm Căn",
    TA_PHIN.slug: "Thổ cẩm Tả Phìn",
    KIM_SON.slug: "Cói Kim Sơn",
}

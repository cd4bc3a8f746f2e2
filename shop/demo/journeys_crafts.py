"""The journeys of the demo's textiles and handicrafts (see journeys.py)."""

from shop.demo.journeys import CE, IN, PK, PR, H, Stage, journey

CRAFT_JOURNEYS: dict[str, tuple[Stage, ...]] = {
    "silk": journey(
        Stage(
            H,
            "Nhà nuôi tằm",
            "Cocoons bought from the village's silkworm families and reeled.",
            "Thu mua kén từ các hộ nuôi tằm trong làng và ươm tơ.",
        ),
        Stage(
            PR,
            "Xưởng dệt",
            "Woven on a jacquard loom, then dyed.",
            "Dệt trên khung jacquard rồi nhuộm.",
        ),
        Stage(
            PK,
            "Xưởng hoàn thiện",
            "Hemmed by hand, folded in tissue and boxed.",
            "Viền tay, gấp trong giấy lụa và đóng hộp.",
        ),
        Stage(
            IN,
            "Xưởng hoàn thiện",
            "Colour-fastness to washing tested on an offcut.",
            "Thử độ bền màu khi giặt trên mẫu vải.",
            "ISO 105-C06",
        ),
        Stage(
            CE,
            "Xưởng dệt",
            "Village craft quality mark renewed.",
            "Nhãn chất lượng làng nghề được gia hạn.",
            "OCOP",
        ),
    ),
    "embroidery": journey(
        Stage(
            H,
            "Nương lanh",
            "Hemp cut, retted and spun by the women of the village.",
            "Cắt lanh, ngâm và se sợi do phụ nữ trong làng làm.",
        ),
        Stage(
            PR,
            "Nhà thêu",
            "Indigo-dyed and embroidered by hand over many evenings.",
            "Nhuộm chàm và thêu tay qua nhiều buổi tối.",
        ),
        Stage(PK, "Nhà thêu", "Lined, finished and bagged.", "Lót, hoàn thiện và cho vào túi."),
        Stage(
            IN,
            "Nhà thêu",
            "Colour-fastness to rubbing tested.",
            "Thử độ bền màu khi ma sát.",
            "ISO 105-X12",
        ),
        Stage(
            CE,
            "Nhà thêu",
            "Village craft quality mark renewed.",
            "Nhãn chất lượng làng nghề được gia hạn.",
            "OCOP",
        ),
    ),
    "ceramics": journey(
        Stage(
            H,
            "Bãi đất sông Hồng",
            "White clay from the riverbank, aged in the yard for a season.",
            "Đất sét trắng ven sông, ủ ngoài sân một mùa.",
        ),
        Stage(
            PR,
            "Lò gốm",
            "Thrown, painted or crackle-glazed and fired at 1,250 °C.",
            "Vuốt, vẽ hoặc tráng men rạn và nung ở 1.250 °C.",
        ),
        Stage(
            PK, "Xưởng đóng gói", "Wrapped in paper and straw, boxed.", "Bọc giấy và rơm, đóng hộp."
        ),
        Stage(
            IN,
            "Phòng kiểm nghiệm",
            "Lead and cadmium release tested on a piece of the firing.",
            "Thử thôi nhiễm chì và cadimi trên một sản phẩm của mẻ nung.",
            "ISO 6486-1",
        ),
        Stage(
            CE,
            "Lò gốm",
            "Village craft quality mark renewed.",
            "Nhãn chất lượng làng nghề được gia hạn.",
            "OCOP",
        ),
    ),
    "lacquer": journey(
        Stage(
            H,
            "Rừng sơn",
            "Raw lacquer tapped from sơn trees, wood from the village.",
            "Lấy nhựa cây sơn và gỗ trong làng.",
        ),
        Stage(
            PR,
            "Xưởng sơn mài",
            "Twelve coats, each dried in a humid room and sanded by hand.",
            "Mười hai lớp sơn, mỗi lớp ủ trong buồng ẩm và mài tay.",
        ),
        Stage(
            PK,
            "Xưởng đóng gói",
            "Polished with the palm, wrapped in cloth and boxed.",
            "Đánh bóng bằng lòng bàn tay, bọc vải và đóng hộp.",
        ),
        Stage(
            IN,
            "Xưởng sơn mài",
            "Coat adhesion checked with a cross-cut test.",
            "Kiểm tra độ bám dính lớp sơn bằng phép thử cắt ô.",
            "ISO 2409",
        ),
        Stage(
            CE,
            "Xưởng sơn mài",
            "Village craft quality mark renewed.",
            "Nhãn chất lượng làng nghề được gia hạn.",
            "OCOP",
        ),
    ),
    "sedge": journey(
        Stage(
            H,
            "Bãi cói ven biển",
            "Sedge cut on the coastal flats, split and sun-dried.",
            "Cắt cói trên bãi bồi ven biển, chẻ và phơi nắng.",
        ),
        Stage(PR, "Nhà đan", "Woven by hand on wooden moulds.", "Đan tay trên khuôn gỗ."),
        Stage(
            PK,
            "Xưởng đóng gói",
            "Sulphur-free drying, then packed flat in cartons.",
            "Sấy không lưu huỳnh rồi xếp phẳng vào thùng.",
        ),
        Stage(
            IN,
            "Xưởng đóng gói",
            "Moisture below 14 %, no mould.",
            "Độ ẩm dưới 14 %, không mốc.",
            "OCOP",
        ),
        Stage(
            CE,
            "Bãi cói ven biển",
            "Sedge fields certified for good agricultural practice.",
            "Bãi cói được chứng nhận thực hành nông nghiệp tốt.",
            "VietGAP",
        ),
    ),
}

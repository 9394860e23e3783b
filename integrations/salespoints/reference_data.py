"""Reference data of the sales points, loaded by migration 0003 (and again after a test flushes the tables)."""

TO_CONFIRM = "To be confirmed against 950/QĐ-BCT (2023)."

#: (code, Vietnamese, English): a plausible reading of Decision 950/QĐ-BCT, to be confirmed by the Department.
CRITERIA = [
    (
        "1",
        "Địa điểm thuận lợi, dễ tiếp cận (nhà ga, sân bay, bến xe, cảng, điểm du lịch, trung tâm thương mại)",
        "Convenient, accessible location (station, airport, bus station, port, tourist site, shopping centre)",
    ),
    (
        "2",
        "Diện tích trưng bày phù hợp, bố trí khu vực riêng cho sản phẩm OCOP",
        "Adequate display area with a dedicated OCOP section",
    ),
    (
        "3",
        "Biển hiệu, nhận diện OCOP đúng quy định (biểu trưng, tên điểm, đơn vị vận hành)",
        "OCOP signage and identity as prescribed (logo, point name, operator)",
    ),
    (
        "4",
        "Chỉ bày bán sản phẩm OCOP còn hiệu lực chứng nhận, ghi rõ hạng sao",
        "Only OCOP products with a valid certificate, star rating shown",
    ),
    (
        "5",
        "Sản phẩm có nguồn gốc rõ ràng, có mã truy xuất nguồn gốc",
        "Products of clear origin with a traceability code",
    ),
    ("6", "Niêm yết giá và bán đúng giá niêm yết", "Prices posted and sold at the posted price"),
    ("7", "Bảo quản sản phẩm, vệ sinh và an toàn thực phẩm", "Product storage, hygiene and food safety"),
    ("8", "Phòng cháy, chữa cháy và an toàn", "Fire prevention and safety"),
    (
        "9",
        "Nhân viên được tập huấn, giới thiệu được câu chuyện sản phẩm",
        "Staff trained and able to tell the products' story",
    ),
    ("10", "Thanh toán không dùng tiền mặt", "Cashless payment available"),
    (
        "11",
        "Sổ sách theo dõi xuất nhập, báo cáo định kỳ cho Sở Công Thương",
        "Stock records kept, periodic reports to the Department of Industry and Trade",
    ),
    (
        "12",
        "Giới thiệu sản phẩm trên môi trường số (website, sàn thương mại điện tử, mạng xã hội)",
        "Products presented online (website, marketplaces, social media)",
    ),
]


#: Where a display-and-sale point may stand, as Decision 950/QĐ-BCT (18/04/2023) lists it:
#: (code, Vietnamese, English). The first seven codes are those the platform used before they were data.
BASIS_950 = "Quyết định 950/QĐ-BCT ngày 18/04/2023"
LOCATION_KINDS = [
    ("airport", "Cửa hàng tại cảng hàng không (sân bay)", "Shop at an airport"),
    ("railway_station", "Cửa hàng tại nhà ga đường sắt", "Shop at a railway station"),
    ("bus_station", "Cửa hàng tại bến xe", "Shop at a bus station"),
    ("port", "Cửa hàng tại cảng (cảng biển, cảng thủy nội địa)", "Shop at a port"),
    ("expressway_stop", "Trạm dừng nghỉ trên đường cao tốc", "Stop or rest area on an expressway"),
    ("national_road_stop", "Trạm dừng nghỉ trên quốc lộ", "Stop or rest area on a national road"),
    ("shopping_centre", "Trung tâm thương mại", "Shopping centre"),
    ("supermarket_corner", "Siêu thị", "Supermarket"),
    ("market", "Chợ", "Market"),
    ("tourist_site", "Cửa hàng tại khu, điểm du lịch", "Shop in a tourist area or site"),
    ("restaurant", "Nhà hàng", "Restaurant"),
    ("hotel", "Khách sạn", "Hotel"),
    ("craft_village", "Làng nghề, làng nghề truyền thống", "Craft village or traditional craft village"),
    (
        "trade_service_centre",
        "Trung tâm dịch vụ thương mại cấp xã (cấp huyện trước 07/2025)",
        "Commune trade service centre (district before 07/2025)",
    ),
    ("industrial_zone", "Khu công nghiệp, cụm công nghiệp", "Industrial zone or cluster"),
    (
        "showroom",
        "Trung tâm hội chợ, triển lãm, trưng bày giới thiệu sản phẩm",
        "Fair, exhibition or product-showcase centre",
    ),
    ("post_office", "Bưu cục", "Post office"),
    ("commune_cultural_post", "Điểm bưu điện văn hóa xã", "Commune cultural post office"),
]


def load_location_kinds(apps) -> None:
    """Create the location kinds of Decision 950 that are missing (idempotent; edited rows are kept)."""
    kind_model = apps.get_model("integrations", "LocationKind")
    for order, (code, name_vi, name_en) in enumerate(LOCATION_KINDS, start=1):
        kind_model.objects.get_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "order": order, "basis": BASIS_950}
        )


def load_criteria(apps) -> None:
    """Create the checklist rows that are missing; rows staff edited are left as they are."""
    Criterion = apps.get_model("integrations", "PointCriterion")
    for order, (code, title_vi, title_en) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code, defaults={"title_vi": title_vi, "title_en": title_en, "order": order, "description": TO_CONFIRM}
        )

"""Reference data of the sales points, loaded by migration 0003 (and again after a test flushes the tables)."""

TO_CONFIRM = "To be confirmed against 950/QĐ-BCT (2023)."

#: (code, Vietnamese, English): a plausible reading of Decision 950/QĐ-BCT, to be confirmed by the Department.
CRITERIA = [
    ("1", "Địa điểm thuận lợi, dễ tiếp cận (nhà ga, sân bay, bến xe, cảng, điểm du lịch, trung tâm thương mại)",
     "Convenient, accessible location (station, airport, bus station, port, tourist site, shopping centre)"),
    ("2", "Diện tích trưng bày phù hợp, bố trí khu vực riêng cho sản phẩm OCOP",
     "Adequate display area with a dedicated OCOP section"),
    ("3", "Biển hiệu, nhận diện OCOP đúng quy định (biểu trưng, tên điểm, đơn vị vận hành)",
     "OCOP signage and identity as prescribed (logo, point name, operator)"),
    ("4", "Chỉ bày bán sản phẩm OCOP còn hiệu lực chứng nhận, ghi rõ hạng sao",
     "Only OCOP products with a valid certificate, star rating shown"),
    ("5", "Sản phẩm có nguồn gốc rõ ràng, có mã truy xuất nguồn gốc",
     "Products of clear origin with a traceability code"),
    ("6", "Niêm yết giá và bán đúng giá niêm yết", "Prices posted and sold at the posted price"),
    ("7", "Bảo quản sản phẩm, vệ sinh và an toàn thực phẩm", "Product storage, hygiene and food safety"),
    ("8", "Phòng cháy, chữa cháy và an toàn", "Fire prevention and safety"),
    ("9", "Nhân viên được tập huấn, giới thiệu được câu chuyện sản phẩm",
     "Staff trained and able to tell the products' story"),
    ("10", "Thanh toán không dùng tiền mặt", "Cashless payment available"),
    ("11", "Sổ sách theo dõi xuất nhập, báo cáo định kỳ cho Sở Công Thương",
     "Stock records kept, periodic reports to the Department of Industry and Trade"),
    ("12", "Giới thiệu sản phẩm trên môi trường số (website, sàn thương mại điện tử, mạng xã hội)",
     "Products presented online (website, marketplaces, social media)"),
]


def load_criteria(apps) -> None:
    """Create the checklist rows that are missing; rows staff edited are left as they are."""
    Criterion = apps.get_model("integrations", "PointCriterion")
    for order, (code, title_vi, title_en) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code, defaults={"title_vi": title_vi, "title_en": title_en, "order": order, "description": TO_CONFIRM}
        )

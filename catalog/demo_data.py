"""Demo data: realistic Đắk Lắk OCOP producers and products, decisions under both rule sets.

Loaded by ``manage.py load_demo`` (idempotent). Some certificates are expired and some revoked so the
listing rule shows. Names are illustrative, modelled on the province's OCOP product list.
"""

import datetime

# Communes as they are since 01/07/2025 (two-tier local government: no districts, communes merged), and the
# producer's address as recorded before, converted with vietnamadminunits (catalog.addresses):
# key: (current commune, (former commune, former district, former province))
COMMUNES = {
    "bmt": ("Phường Buôn Ma Thuột", ("Phường Tân Lợi", "Thành phố Buôn Ma Thuột", "Đắk Lắk")),
    "eakao": ("Phường Ea Kao", ("Xã Ea Kao", "Thành phố Buôn Ma Thuột", "Đắk Lắk")),
    "cuorđang": ("Xã Cuôr Đăng", ("Xã Cư Ơr Đăng", "Huyện Cư M'gar", "Đắk Lắk")),
    "eatul": ("Xã Ea Tul", ("Xã Ea Tul", "Huyện Cư M'gar", "Đắk Lắk")),
    "krongnang": ("Xã Krông Năng", ("Xã Phú Lộc", "Huyện Krông Năng", "Đắk Lắk")),
    "buondon": ("Xã Buôn Đôn", ("Xã Krông Na", "Huyện Buôn Đôn", "Đắk Lắk")),
    "lak": ("Xã Liên Sơn Lắk", ("Thị trấn Liên Sơn", "Huyện Lắk", "Đắk Lắk")),
    "krongpac": ("Xã Ea Kly", ("Xã Ea Kly", "Huyện Krông Pắc", "Đắk Lắk")),
    "eahleo": ("Xã Ea Hiao", ("Xã Ea Sol", "Huyện Ea H'leo", "Đắk Lắk")),
    "cukuin": ("Xã Dray Bhăng", ("Xã Dray Bhăng", "Huyện Cư Kuin", "Đắk Lắk")),
    "krongbong": ("Xã Dang Kang", ("Xã Cư Kty", "Huyện Krông Bông", "Đắk Lắk")),
    "tuyhoa": ("Phường Tuy Hòa", ("Phường 9", "Thành phố Tuy Hòa", "Phú Yên")),  # Phú Yên merged into Đắk Lắk
}

# (key, kind, name, registration number, representative, commune key)
PRODUCERS = [
    ("thuanan", "enterprise", "Công ty TNHH Cà phê Thuần An", "6001234561", "Nguyễn Văn An", "bmt"),
    ("htxeakao", "cooperative", "HTX Nông nghiệp Ea Kao", "6001234562", "H'Linh Niê", "eakao"),
    ("htxcuorđang", "cooperative", "HTX Cà phê Cư Ơr Đăng", "6001234563", "Y Bliêng Mlô", "cuorđang"),
    ("tieueatul", "cooperative", "HTX Hồ tiêu Ea Tul", "6001234564", "Trần Thị Hoa", "eatul"),
    ("matongpl", "enterprise", "Công ty CP Mật ong Phú Lộc", "6001234565", "Lê Văn Phúc", "krongnang"),
    ("ruoucan", "household", "Hộ kinh doanh Rượu cần Buôn Đôn", "40B8012345", "Y Thuột Buôn Yă", "buondon"),
    ("thocamlak", "cooperative_group", "Tổ hợp tác Dệt thổ cẩm Buôn Jun", "6001234566", "H'Rai Ê Ban", "lak"),
    ("saurieng", "cooperative", "HTX Sầu riêng Krông Pắc", "6001234567", "Phạm Đức Long", "krongpac"),
    ("macca", "enterprise", "Công ty TNHH Mắc ca Ea H'leo", "6001234568", "Đỗ Minh Tâm", "eahleo"),
    ("cacao", "cooperative", "HTX Ca cao Cư Kuin", "6001234569", "Y Sơn Ayun", "cukuin"),
    ("bo", "cooperative", "HTX Bơ Krông Bông", "6001234570", "Nguyễn Thị Lan", "krongbong"),
    ("dulich", "cooperative", "HTX Du lịch cộng đồng Buôn Jun", "6001234571", "Y Nguê Ê Ban", "lak"),
    ("ctduong", "household", "Hộ kinh doanh Đường phèn Tuy Hòa", "40C8054321", "Võ Thị Mai", "tuyhoa"),
    ("duoclieu", "enterprise", "Công ty CP Dược liệu Tây Nguyên", "6001234572", "Hoàng Văn Dũng", "bmt"),
]

# (producer key, name vi, name en, subgroup code, gtin or "")  — store prices are in storefront/demo_data.py
PRODUCTS = [
    ("thuanan", "Cà phê bột Buôn Ma Thuột", "Buon Ma Thuot ground coffee", "1.6", "8934602001238"),
    ("thuanan", "Cà phê hạt rang Robusta Thuần An", "Thuan An roasted Robusta beans", "1.6", ""),
    ("thuanan", "Cà phê phin giấy Thuần An", "Thuan An drip-bag coffee", "1.6", ""),
    ("htxeakao", "Cà phê nhân xanh Ea Kao", "Ea Kao green coffee beans", "1.2", ""),
    ("htxeakao", "Trà đường phèn Ea Kao", "Ea Kao rock-sugar tea", "1.5", ""),
    ("htxcuorđang", "Cà phê chồn Cư Ơr Đăng", "Cu Or Dang civet coffee", "1.6", ""),
    ("htxcuorđang", "Cà phê Arabica Cư M'gar", "Cu M'gar Arabica coffee", "1.6", ""),
    ("tieueatul", "Hồ tiêu đen Ea Tul", "Ea Tul black pepper", "1.4", ""),
    ("tieueatul", "Tiêu đỏ chín cây Cư M'gar", "Cu M'gar vine-ripened red pepper", "1.4", ""),
    ("tieueatul", "Tiêu sọ trắng Ea Tul", "Ea Tul white pepper", "1.4", ""),
    ("matongpl", "Mật ong hoa cà phê", "Coffee blossom honey", "1.7", "8934602001245"),
    ("matongpl", "Mật ong rừng Krông Năng", "Krong Nang wild honey", "1.7", ""),
    ("matongpl", "Phấn hoa cà phê Phú Lộc", "Phu Loc coffee bee pollen", "1.7", ""),
    ("ruoucan", "Rượu cần Buôn Đôn", "Buon Don rice wine in jars", "2.1", ""),
    ("ruoucan", "Rượu cần men lá Krông Na", "Krong Na leaf-yeast rice wine", "2.1", ""),
    ("thocamlak", "Khăn thổ cẩm Buôn Jun", "Buon Jun brocade scarf", "4.2", ""),
    ("thocamlak", "Túi thổ cẩm Ê Đê", "Ede brocade bag", "4.2", ""),
    ("saurieng", "Sầu riêng Ri6 Krông Pắc", "Krong Pac Ri6 durian", "1.1", ""),
    ("saurieng", "Sầu riêng sấy thăng hoa", "Freeze-dried durian", "1.8", ""),
    ("saurieng", "Kem sầu riêng Krông Pắc", "Krong Pac durian ice cream", "1.3", ""),
    ("macca", "Hạt mắc ca sấy nứt vỏ", "Dried cracked macadamia nuts", "1.8", "8934602001252"),
    ("macca", "Dầu mắc ca Ea H'leo", "Ea H'leo macadamia oil", "1.3", ""),
    ("macca", "Sữa hạt mắc ca", "Macadamia nut milk", "2.2", ""),
    ("cacao", "Bột ca cao nguyên chất Cư Kuin", "Cu Kuin pure cocoa powder", "1.6", ""),
    ("cacao", "Sô cô la đen Cư Kuin 70%", "Cu Kuin 70% dark chocolate", "1.3", ""),
    ("cacao", "Rượu vang ca cao", "Cocoa wine", "2.1", ""),
    ("bo", "Bơ sáp 034 Krông Bông", "Krong Bong 034 butter avocado", "1.1", ""),
    ("bo", "Dầu bơ ép lạnh", "Cold-pressed avocado oil", "1.3", ""),
    ("dulich", "Du lịch cộng đồng Buôn Jun", "Buon Jun community tourism", "6.1", ""),
    ("ctduong", "Đường phèn Tuy Hòa", "Tuy Hoa rock sugar", "1.3", ""),
    ("ctduong", "Trà gừng đường phèn", "Ginger tea with rock sugar", "2.2", ""),
    ("duoclieu", "Cao atiso Tây Nguyên", "Central Highlands artichoke extract", "3.1", ""),
    ("duoclieu", "Tinh dầu sả chanh Đắk Lắk", "Dak Lak lemongrass essential oil", "3.3", ""),
    ("duoclieu", "Trà mãng cầu Tây Nguyên", "Central Highlands soursop tea", "3.1", ""),
]

# Decisions: (number, date, level, authority, [(product index, stars)])
DECISIONS = [
    # Decision 148 (2023): district 3★, province 4★, central 5★. 03/2023 certificates have expired by now.
    ("512/QĐ-UBND", datetime.date(2023, 3, 20), "district", "UBND TP. Buôn Ma Thuột", [(3, 3), (4, 3), (9, 3)]),
    ("1023/QĐ-UBND", datetime.date(2023, 9, 14), "district", "UBND huyện Cư M'gar", [(6, 3), (7, 3), (8, 3)]),
    (
        "2875/QĐ-UBND",
        datetime.date(2023, 12, 5),
        "province",
        "UBND tỉnh Đắk Lắk",
        [(0, 4), (1, 4), (5, 4), (10, 4), (13, 4), (15, 4)],
    ),
    ("1450/QĐ-UBND", datetime.date(2024, 6, 18), "district", "UBND huyện Krông Pắc", [(17, 3), (18, 3), (19, 3)]),
    (
        "2210/QĐ-UBND",
        datetime.date(2024, 8, 27),
        "province",
        "UBND tỉnh Đắk Lắk",
        [(11, 4), (20, 4), (21, 4), (23, 4), (16, 4)],
    ),
    ("377/QĐ-BNN-VPĐP", datetime.date(2025, 1, 17), "central", "Bộ Nông nghiệp và Phát triển nông thôn", [(0, 5)]),
    ("610/QĐ-UBND", datetime.date(2025, 3, 3), "district", "UBND huyện Lắk", [(28, 3), (14, 3)]),
    # Decision 1489 (07/2025): the province certifies 3★ and 4★.
    (
        "3120/QĐ-UBND",
        datetime.date(2025, 10, 9),
        "province",
        "UBND tỉnh Đắk Lắk",
        [(2, 3), (12, 3), (22, 3), (24, 4), (25, 3), (26, 3), (27, 4), (29, 3), (30, 3), (31, 4), (32, 3), (33, 3)],
    ),
    ("455/QĐ-UBND", datetime.date(2026, 4, 21), "province", "UBND tỉnh Đắk Lắk", [(20, 4), (8, 4)]),
]

REVOCATIONS = [
    # (number, date, level, authority, reason, [product index])
    (
        "1876/QĐ-UBND",
        datetime.date(2026, 8, 12),
        "province",
        "UBND tỉnh Đắk Lắk",
        "Kiểm tra sau công nhận: sản phẩm không còn đáp ứng tiêu chí 3 sao về chất lượng "
        "(post-certification inspection: no longer meets the 3★ quality criteria).",
        [19],
    ),
    (
        "1877/QĐ-UBND",
        datetime.date(2026, 8, 12),
        "province",
        "UBND tỉnh Đắk Lắk",
        "Nhãn sử dụng sai biểu trưng OCOP (misuse of the OCOP mark on labels).",
        [25],
    ),
]

DEMO_PASSWORD = "ocop-demo-2026"  # noqa: S105 - local demo accounts only, printed by load_demo
DEMO_ACCOUNT_AGE = datetime.timedelta(days=30)


def refuse_outside_development(command) -> None:
    """The demo creates accounts with a known password (a superuser among them): never outside DJANGO_DEBUG."""
    from django.conf import settings
    from django.core.management.base import CommandError

    if not settings.DEBUG:
        raise CommandError(
            f"{command.__module__.rsplit('.', 1)[-1]} creates accounts with a known password: it runs only with "
            "DJANGO_DEBUG=true (development), never in production."
        )


# (username, role attribute in catalog.permissions, commune key, producer key)
DEMO_USERS = [
    ("vanphong", "OCOP_OFFICE", None, None),
    ("canboxa", "COMMUNE_OFFICER", "eatul", None),
    ("chuthe", "PRODUCER", None, "matongpl"),
    ("socongthuong", "DEPARTMENT_OF_INDUSTRY_AND_TRADE", None, None),
]

"""Demo data of the store: prices of the demo registry's products and two gift combos.

Loaded by ``manage.py load_demo_store`` (idempotent) after ``manage.py load_demo`` has loaded the registry.
Products are named by their Vietnamese name in ``catalog/demo_data.py``.
"""

# Product (Vietnamese name) → store price in VND.
PRICES = {
    "Cà phê bột Buôn Ma Thuột": 185000,
    "Cà phê hạt rang Robusta Thuần An": 220000,
    "Cà phê phin giấy Thuần An": 95000,
    "Cà phê nhân xanh Ea Kao": 140000,
    "Trà đường phèn Ea Kao": 60000,
    "Cà phê chồn Cư Ơr Đăng": 950000,
    "Cà phê Arabica Cư M'gar": 260000,
    "Hồ tiêu đen Ea Tul": 120000,
    "Tiêu đỏ chín cây Cư M'gar": 280000,
    "Tiêu sọ trắng Ea Tul": 240000,
    "Mật ong hoa cà phê": 210000,
    "Mật ong rừng Krông Năng": 350000,
    "Phấn hoa cà phê Phú Lộc": 160000,
    "Rượu cần Buôn Đôn": 450000,
    "Rượu cần men lá Krông Na": 380000,
    "Khăn thổ cẩm Buôn Jun": 320000,
    "Túi thổ cẩm Ê Đê": 280000,
    "Sầu riêng Ri6 Krông Pắc": 130000,
    "Sầu riêng sấy thăng hoa": 250000,
    "Kem sầu riêng Krông Pắc": 75000,
    "Hạt mắc ca sấy nứt vỏ": 290000,
    "Dầu mắc ca Ea H'leo": 420000,
    "Sữa hạt mắc ca": 45000,
    "Bột ca cao nguyên chất Cư Kuin": 150000,
    "Sô cô la đen Cư Kuin 70%": 110000,
    "Rượu vang ca cao": 230000,
    "Bơ sáp 034 Krông Bông": 70000,
    "Dầu bơ ép lạnh": 390000,
    "Du lịch cộng đồng Buôn Jun": 500000,
    "Đường phèn Tuy Hòa": 55000,
    "Trà gừng đường phèn": 65000,
    "Cao atiso Tây Nguyên": 180000,
    "Tinh dầu sả chanh Đắk Lắk": 90000,
    "Trà mãng cầu Tây Nguyên": 85000,
}

# (slug, name vi, name en, description vi, description en, [(product name vi, quantity)])
COMBOS = [
    (
        "qua-tet-dak-lak",
        "Quà Tết Đắk Lắk",
        "Đắk Lắk Tết gift box",
        "Cà phê bột Buôn Ma Thuột, tiêu đỏ chín cây và mật ong rừng: ba đặc sản OCOP của Đắk Lắk trong một hộp quà.",
        "Buon Ma Thuot ground coffee, vine-ripened red pepper and wild honey: three OCOP specialities of Đắk Lắk "
        "in one gift box.",
        [("Cà phê bột Buôn Ma Thuột", 1), ("Tiêu đỏ chín cây Cư M'gar", 1), ("Mật ong rừng Krông Năng", 1)],
    ),
    (
        "huong-vi-tay-nguyen",
        "Hương vị Tây Nguyên",
        "Flavours of the Central Highlands",
        "Bột ca cao Cư Kuin và hạt mắc ca Ea H'leo.",
        "Cu Kuin cocoa powder and Ea H'leo macadamia nuts.",
        [("Bột ca cao nguyên chất Cư Kuin", 1), ("Hạt mắc ca sấy nứt vỏ", 2)],
    ),
]

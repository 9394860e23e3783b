"""Reference data the registry starts with: rule sets, product groups and sub-groups.

Loaded by a data migration. Later decisions are added as rows (admin or a new data migration),
not as code. Facts marked (unconfirmed) in the domain brief are kept here as editable data.
"""

from decimal import Decimal

#: Certificates of every rule set so far: "valid for 36 months from the date of signing", counted under the Civil
#: Code 2015 (Art. 147: from the next day; Art. 148: to the end of the corresponding day of the last month).
VALIDITY = {"validity_months": 36, "validity_counting": "civil_code_2015"}

STAR_BANDS = [(1, Decimal("0")), (2, Decimal("30")), (3, Decimal("50")), (4, Decimal("70")), (5, Decimal("90"))]

RULE_SETS = [
    {
        "code": "1048/QĐ-TTg",
        "name": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (2019)",
        "effective_from": "2019-08-21",
        "max_scores": (Decimal("35"), Decimal("25"), Decimal("40")),
        "notes": "Older evaluations carry 35/25/40 weights. Levels as commonly applied (unconfirmed).",
        "levels": [
            # level, sequence, evaluates, certifies (min, max), forward_min_total, authority
            ("commune", 1, False, (None, None), None, "UBND xã"),
            ("district", 2, True, (None, None), None, "Hội đồng đánh giá cấp huyện"),
            ("province", 3, True, (3, 4), Decimal("50"), "UBND tỉnh"),
            ("central", 4, True, (5, 5), Decimal("90"), "Bộ Nông nghiệp và Phát triển nông thôn"),
        ],
    },
    {
        "code": "148/QĐ-TTg",
        "name": "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP (24/02/2023)",
        "effective_from": "2023-02-24",
        "max_scores": (Decimal("40"), Decimal("25"), Decimal("35")),
        "notes": "District certifies 3★, province 4★, central 5★.",
        "levels": [
            ("commune", 1, False, (None, None), None, "UBND xã"),
            ("district", 2, True, (3, 3), None, "UBND huyện"),
            ("province", 3, True, (4, 4), Decimal("70"), "UBND tỉnh"),
            ("central", 4, True, (5, 5), Decimal("90"), "Bộ Nông nghiệp và Phát triển nông thôn"),
        ],
    },
    {
        "code": "1489/QĐ-TTg",
        "name": "Sửa đổi quy trình đánh giá OCOP cho chính quyền địa phương hai cấp (06/07/2025)",
        "effective_from": "2025-07-06",
        "max_scores": (Decimal("40"), Decimal("25"), Decimal("35")),
        "notes": "Districts abolished 01/07/2025: province certifies 3★ and 4★, central 5★.",
        "levels": [
            ("commune", 1, False, (None, None), None, "UBND xã"),
            ("province", 2, True, (3, 4), None, "UBND tỉnh"),
            ("central", 3, True, (5, 5), Decimal("90"), "Bộ Nông nghiệp và Môi trường"),
        ],
    },
]

# Product groups of Decision 148/QĐ-TTg and their sub-groups (product sets). The official list of
# product sets is data (unconfirmed count: 26); staff can add or rename sets in the admin.
PRODUCT_GROUPS = [
    (
        "1",
        "Thực phẩm",
        "Food",
        [
            ("1.1", "Nông sản tươi sống", "Fresh agricultural produce"),
            ("1.2", "Nông sản thô, sơ chế", "Raw and lightly processed produce"),
            ("1.3", "Thực phẩm chế biến", "Processed food"),
            ("1.4", "Gia vị", "Spices and condiments"),
            ("1.5", "Chè", "Tea"),
            ("1.6", "Cà phê, ca cao", "Coffee and cocoa"),
            ("1.7", "Mật ong, sản phẩm từ mật ong", "Honey and honey products"),
            ("1.8", "Hạt, quả sấy", "Nuts and dried fruit"),
        ],
    ),
    (
        "2",
        "Đồ uống",
        "Beverages",
        [
            ("2.1", "Đồ uống có cồn", "Alcoholic beverages"),
            ("2.2", "Đồ uống không cồn", "Non-alcoholic beverages"),
        ],
    ),
    (
        "3",
        "Dược liệu và sản phẩm từ dược liệu",
        "Medicinal herbs and herb products",
        [
            ("3.1", "Thực phẩm chức năng, thuốc từ dược liệu", "Supplements and herbal medicines"),
            ("3.2", "Mỹ phẩm từ dược liệu", "Herbal cosmetics"),
            ("3.3", "Tinh dầu và dược liệu khác", "Essential oils and other herb products"),
        ],
    ),
    (
        "4",
        "Thủ công mỹ nghệ",
        "Handicrafts",
        [
            ("4.1", "Thủ công mỹ nghệ, trang trí", "Handicrafts and decoration"),
            ("4.2", "Vải, may mặc (thổ cẩm)", "Textiles and garments (brocade)"),
            ("4.3", "Đồ gia dụng, mây tre đan", "Household goods, rattan and bamboo"),
        ],
    ),
    (
        "5",
        "Sinh vật cảnh",
        "Ornamental plants and animals",
        [
            ("5.1", "Hoa, cây cảnh", "Flowers and ornamental plants"),
            ("5.2", "Động vật cảnh", "Ornamental animals"),
        ],
    ),
    (
        "6",
        "Dịch vụ du lịch cộng đồng, du lịch nông thôn và điểm du lịch",
        "Community tourism services and tourist sites",
        [
            ("6.1", "Dịch vụ du lịch cộng đồng, du lịch nông thôn", "Community and rural tourism services"),
            ("6.2", "Điểm du lịch", "Tourist sites"),
        ],
    ),
]


def load(apps) -> None:
    """Create or update the reference rows (idempotent)."""
    rule_set_model = apps.get_model("catalog", "RuleSet")
    fields = {field.name for field in rule_set_model._meta.get_fields()}
    for spec in RULE_SETS:
        validity = {name: value for name, value in {**VALIDITY, **spec.get("validity", {})}.items() if name in fields}
        max_a, max_b, max_c = spec["max_scores"]
        rule_set, _ = rule_set_model.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "effective_from": spec["effective_from"],
                "max_score_a": max_a,
                "max_score_b": max_b,
                "max_score_c": max_c,
                "notes": spec["notes"],
                **validity,  # set by migration 0005 on databases migrated before these fields existed
            },
        )
        for stars, min_total in STAR_BANDS:
            rule_set.star_bands.update_or_create(stars=stars, defaults={"min_total": min_total})
        for level, sequence, evaluates, (low, high), forward, authority in spec["levels"]:
            rule_set.level_rules.update_or_create(
                level=level,
                defaults={
                    "sequence": sequence,
                    "evaluates": evaluates,
                    "certifies_min_stars": low,
                    "certifies_max_stars": high,
                    "forward_min_total": forward,
                    "authority": authority,
                },
            )
    group_model = apps.get_model("catalog", "ProductGroup")
    subgroup_model = apps.get_model("catalog", "ProductSubGroup")
    for code, name_vi, name_en, subgroups in PRODUCT_GROUPS:
        group, _ = group_model.objects.update_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en})
        for sub_code, sub_vi, sub_en in subgroups:
            subgroup_model.objects.update_or_create(
                code=sub_code, defaults={"group": group, "name_vi": sub_vi, "name_en": sub_en}
            )

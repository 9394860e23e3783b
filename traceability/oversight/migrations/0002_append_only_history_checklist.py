from django.db import migrations

from ocop.append_only import append_only_guard

# The inspection checklist (production conditions, quality, labelling, use of the OCOP mark): data, editable in the admin.
CHECKLIST = [
    ("P1", "production", "Cơ sở sản xuất giữ đúng điều kiện như khi được đánh giá, phân hạng",
     "The production site keeps the conditions it had when evaluated"),
    ("P2", "production", "Bảo đảm vệ sinh, an toàn thực phẩm / an toàn lao động tại nơi sản xuất",
     "Hygiene, food safety and work safety at the production site"),
    ("P3", "production", "Nguồn nguyên liệu đúng như hồ sơ (nguồn gốc địa phương)",
     "Raw materials as declared in the dossier (local origin)"),
    ("Q1", "quality", "Chất lượng sản phẩm phù hợp tiêu chuẩn công bố",
     "Product quality meets the declared standard"),
    ("Q2", "quality", "Có kết quả kiểm nghiệm còn hiệu lực", "Valid laboratory test results are available"),
    ("L1", "labelling", "Nhãn hàng hóa đúng quy định (tên, thành phần, hạn dùng, nơi sản xuất)",
     "The label meets the rules (name, ingredients, expiry, place of production)"),
    ("L2", "labelling", "Có mã truy xuất nguồn gốc trên bao bì", "The packaging carries a traceability code"),
    ("M1", "ocop_mark", "Sử dụng biểu trưng OCOP đúng số sao được công nhận",
     "The OCOP mark shows the star rating actually certified"),
    ("M2", "ocop_mark", "Không sử dụng biểu trưng OCOP khi giấy chứng nhận hết hiệu lực hoặc bị thu hồi",
     "No OCOP mark used while the certificate is expired or revoked"),
]


def load_checklist(apps, schema_editor):
    ChecklistItem = apps.get_model("oversight", "ChecklistItem")
    for order, (code, area, text_vi, text_en) in enumerate(CHECKLIST, start=1):
        ChecklistItem.objects.update_or_create(
            code=code, defaults={"area": area, "text_vi": text_vi, "text_en": text_en, "order": order}
        )


def unload_checklist(apps, schema_editor):
    apps.get_model("oversight", "ChecklistItem").objects.filter(code__in=[row[0] for row in CHECKLIST]).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [
        append_only_guard("oversight_reportevent"),
        migrations.RunPython(load_checklist, unload_checklist),
    ]

from django.db import migrations

# Steps may not be edited (UPDATE); they go only with their application.
# The dossier of Decision 148/QĐ-TTg as commonly listed (unconfirmed): data, edited by the OCOP office in the admin.
DOCUMENT_KINDS = [
    ("registration_form", "Phiếu đăng ký sản phẩm OCOP", True, 10),
    ("business_registration", "Giấy chứng nhận đăng ký kinh doanh / hộ kinh doanh", True, 20),
    ("business_plan", "Phương án / kế hoạch sản xuất kinh doanh (hoặc báo cáo)", True, 30),
    ("quality_standard", "Tiêu chuẩn sản phẩm, phiếu kết quả kiểm nghiệm", True, 40),
    ("food_safety", "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (nếu có)", False, 50),
    ("product_story", "Câu chuyện sản phẩm", False, 60),
    ("label_images", "Hình ảnh sản phẩm, nhãn, bao bì", False, 70),
    ("other", "Tài liệu khác", False, 90),
]

STEP_GUARD = """
CREATE OR REPLACE FUNCTION applications_step_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'applications_applicationstep is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_step_no_update BEFORE UPDATE ON applications_applicationstep
    FOR EACH ROW EXECUTE FUNCTION applications_step_append_only();
"""

STEP_GUARD_REVERSE = """
DROP TRIGGER IF EXISTS applications_step_no_update ON applications_applicationstep;
DROP FUNCTION IF EXISTS applications_step_append_only();
"""


def load_document_kinds(apps, schema_editor):
    DocumentKind = apps.get_model("applications", "DocumentKind")
    for code, name, required, order in DOCUMENT_KINDS:
        DocumentKind.objects.update_or_create(
            code=code, defaults={"name": name, "required": required, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [
        migrations.RunSQL(STEP_GUARD, STEP_GUARD_REVERSE),
        migrations.RunPython(load_document_kinds, migrations.RunPython.noop),
    ]

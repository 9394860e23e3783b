from django.core.management.base import BaseCommand

from storefront.search import get_backend


class Command(BaseCommand):
    help = "Rebuild the storefront search index (database or Elasticsearch backend) from the listable products."

    def handle(self, *args, **options):
        backend = get_backend()
        count = backend.rebuild()
        self.stdout.write(f"{backend.name}: indexed {count} products")

from django.apps import AppConfig


class DistrictSiteConfig(AppConfig):
    name = "district_site"
    verbose_name = "Phòng GD&ĐT"

    def ready(self):
        # Cached public pages go stale on publish, move, branding or school changes.
        from district_site import cache_invalidation

        cache_invalidation.connect()

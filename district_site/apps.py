from django.apps import AppConfig


class DistrictSiteConfig(AppConfig):
    name = "district_site"
    verbose_name = "Phòng GD&ĐT"

    def ready(self):
        # Cached public pages go stale on publish, move, branding or school changes, and when
        # an image or a name they show is edited.
        from district_site import cache_invalidation, media_invalidation

        cache_invalidation.connect()
        media_invalidation.connect()

"""The district department's own portal site (not a School): its home page type, what that page
reads, and setting the portal up.

`models.py` is loaded by `DistrictSiteConfig.import_models` (see `district_site/apps.py`), not by
`district_site/models.py`, so the tenancy layer below never imports the portal.
"""

from district_site.portal.setup import setup_district_portal

__all__ = ["setup_district_portal"]

"""The Content-Security-Policy, with one exception for the Wagtail admin's own screens.

The policy (settings.DISTRICT_CONTENT_SECURITY_POLICY) allows scripts from our own origin only.
Wagtail 8's admin forms still start some widgets with a small inline <script> whose text depends
on the field (`initDateChooser("id_date", …)`, `new ImageChooser("id_feed_image", …)`), so no
hash or nonce can name them in advance; on the admin's screens the policy therefore also allows
inline scripts. Everything else about the policy holds there too (no eval, no plugins, no
outside scripts, frames, connections or form targets), and pages as visitors see them, including
the admin's previews of a page, get the strict policy.
"""

from __future__ import annotations

import re

from csp.middleware import CSPMiddleware, PolicyParts

# Admin screens; not the previews, which render a page with the public templates.
ADMIN_SCREEN = re.compile(r"^/admin/(?!.*/preview/)")


class DistrictCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if ADMIN_SCREEN.match(request.path_info):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        return parts

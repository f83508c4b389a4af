"""Where media (uploaded images and documents) live: local disk, or S3-compatible storage.

Disk is the default and right for one app server. With several app servers, each must see
every upload: point them at one S3-compatible bucket (MinIO, Ceph, a provider's object storage)
by setting AWS_STORAGE_BUCKET_NAME, or share MEDIA_ROOT over NFS. Read by production.py, and by
the tests with a moto server's address.
"""

from __future__ import annotations

from collections.abc import Mapping


def media_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry for this environment."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
        # Public school media: plain URLs (through AWS_S3_CUSTOM_DOMAIN or nginx), no expiring
        # signed query strings that would defeat browser caching.
        "querystring_auth": environ.get("AWS_QUERYSTRING_AUTH", "false").lower() == "true",
        "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        # Never overwrite: Wagtail picks a new name when one is taken.
        "file_overwrite": False,
        "default_acl": None,
        "location": environ.get("AWS_LOCATION", ""),
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or "path",
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }

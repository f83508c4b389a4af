"""Media on S3-compatible object storage, against a real S3 server on loopback (moto in server
mode, started here), through the same settings code production uses (district_site/storage.py)."""

import io
import json
import urllib.request

import boto3
import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection

from district_site import health
from district_site.storage import media_storage
from tests.ops.stack import free_port

BUCKET = "district-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    # School media are public: visitors' browsers load them by plain URL (docs/deploy.md says to
    # give the bucket this read-only policy).
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield endpoint
    server.stop()


def png_bytes(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 83, 148)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_image_upload_read_back_and_rendition_on_s3(s3_endpoint):
    storage = media_storage(
        {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            **CREDENTIALS,
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    data = png_bytes()
    with override_settings(
        STORAGES={
            "default": storage,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        image = Image.objects.create(
            title="Lễ khai giảng",
            file=ImageFile(io.BytesIO(data), name="le-khai-giang.png"),
            # (A transactional test's flush may have emptied the migrations' root collection.)
            collection=Collection.get_first_root_node() or Collection.add_root(name="Root"),
        )
        image = Image.objects.get(pk=image.pk)
        with image.open_file() as handle:
            assert handle.read() == data
        assert (image.width, image.height) == (640, 480)

        rendition = image.get_rendition("fill-120x90")
        assert (rendition.width, rendition.height) == (120, 90)
        assert rendition.url.startswith(f"{s3_endpoint}/{BUCKET}/")
        with urllib.request.urlopen(rendition.url, timeout=10) as response:
            thumb = PILImage.open(io.BytesIO(response.read()))
            assert thumb.size == (120, 90)

        # The readiness probe talks to the same bucket.
        health.check_storage()

    keys = {
        item["Key"]
        for item in boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        .list_objects_v2(Bucket=BUCKET)
        .get("Contents", [])
    }
    assert image.file.name in keys
    assert rendition.file.name in keys

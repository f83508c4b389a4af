"""StreamField blocks shared by every page type (school and district)."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Ảnh")
    caption = blocks.CharBlock(required=False, label="Chú thích")

    class Meta:
        icon = "image"
        label = "Ảnh có chú thích"
        template = "components/blocks/image_with_caption.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Trích dẫn")
    source = blocks.CharBlock(required=False, label="Nguồn")

    class Meta:
        icon = "openquote"
        label = "Trích dẫn"
        template = "components/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Tệp đính kèm")
    title = blocks.CharBlock(
        required=False, label="Tên hiển thị", help_text="Để trống để dùng tên của tệp."
    )

    class Meta:
        icon = "doc-full"
        label = "Liên kết tệp"
        template = "components/blocks/document_link.html"


class BodyBlock(blocks.StreamBlock):
    """The one body every content page uses, so editors learn a single set of blocks."""

    paragraph = blocks.RichTextBlock(
        label="Đoạn văn",
        features=[
            "h2",
            "h3",
            "bold",
            "italic",
            "ol",
            "ul",
            "link",
            "document-link",
            "hr",
        ],
    )
    image = ImageWithCaptionBlock()
    embed = EmbedBlock(label="Nhúng video / nội dung", help_text="Dán đường dẫn YouTube, Facebook…")
    quote = QuoteBlock()
    table = TableBlock(label="Bảng", template="components/blocks/table.html")
    document = DocumentLinkBlock()

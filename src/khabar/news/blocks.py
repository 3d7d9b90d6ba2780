"""StreamField blocks of an article body."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul", "blockquote"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="نص الاقتباس")
    attribution = blocks.CharBlock(required=False, label="القائل")

    class Meta:
        icon = "openquote"
        label = "اقتباس"
        template = "blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="الصورة")
    caption = blocks.CharBlock(required=False, label="التعليق")
    credit = blocks.CharBlock(required=False, label="المصدر")

    class Meta:
        icon = "image"
        label = "صورة"
        template = "blocks/figure_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, label="نص")
    quote = QuoteBlock()
    figure = FigureBlock()
    embed = EmbedBlock(label="تضمين", help_text="رابط يوتيوب أو إكس أو غيرهما")

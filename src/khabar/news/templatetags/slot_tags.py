"""``{% slot "name" %}``: the place in a news template that other apps fill (see ``khabar.news.slots``)."""

from django import template

from khabar.news import slots

register = template.Library()


class SlotNode(template.Node):
    def __init__(self, name):
        self.name = name

    def render(self, context):
        return slots.render(self.name, context)


@register.tag
def slot(parser, token):
    """Checks the slot's name when the template is compiled, so a typo fails loudly rather than showing nothing."""
    bits = token.split_contents()
    if len(bits) != 2 or len(bits[1]) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('usage: {% slot "name" %} with the name in quotes')
    name = bits[1][1:-1]
    if name not in slots.NAMES:
        raise template.TemplateSyntaxError(f"unknown slot {name!r}; the slots are listed in khabar.news.slots")
    return SlotNode(name)

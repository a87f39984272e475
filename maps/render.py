"""Render a map's script without folium compiling what it has already rendered.

folium's `MacroElement.render` puts each element's rendered script into the page as
`Element(text)`, and `Element.__init__` compiles its text as a Jinja template. This costs
time: the 500 KB of posko rows were lexed as a template, about half of an event map's build.
It is also unsafe: a posko named ``{{ ... }}`` would be evaluated on the server when the page
is rendered. The JSON escaping in `maps.base.js` protects the browser, not Jinja. On top of
that, every `Layer` compiled a small "addTo" template, and the map created CDN link elements
for a header that `maps.embed` never uses.

`render_map` calls each element's `script` macro once, with its already-compiled class
template, and puts the text in the figure as `Text`, which is never compiled. It also
covers the few `render` overrides our maps meet: a `Layer` adds itself to its parent when
shown, and a `LayerControl` lists the map's layers. Header and html macros are dropped
because `maps.embed` builds the map element and the file links itself. An element whose class
overrides `render` in some other way (a folium `Marker` added by hand) still goes through
folium's own `render`, so it keeps working, only as slowly as before.
"""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer, LayerControl


class Text(Element):
    """Rendered script text that folium places in the page as it is (never a template)."""

    def __init__(self, text: str):
        super().__init__()  # no template argument: nothing is compiled
        self._name = "Text"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


# `render` methods whose only work is what `render_map` does directly.
_DIRECT = {MacroElement.render, JSCSSMixin.render, Layer.render, LayerControl.render}


def _direct(element) -> bool:
    return isinstance(element, MacroElement) and type(element).render in _DIRECT


def _list_layers(control: LayerControl) -> None:
    """What `LayerControl.render` does before it renders: the parent's layers by name."""
    control.reset()
    for item in control._parent._children.values():
        if isinstance(item, Layer) and item.control:
            names = control.overlays if item.overlay else control.base_layers
            names[item.layer_name] = item.get_name()


def render_element(element, script: Element, *, root: bool = False) -> None:
    """Append ``element``'s script, then its children's, to the figure's ``script``
    (``root``: the map itself, whose own `render` is the one calling this)."""
    if not root and not _direct(element):
        element.render()
        return
    if isinstance(element, LayerControl):
        _list_layers(element)
    macro = element._template.module.__dict__.get("script")
    if macro is not None:
        script.add_child(Text(macro(element, {})), name=element.get_name())
    for child in list(element._children.values()):
        render_element(child, script)
    if isinstance(element, Layer) and element.show and element._parent is not None:
        script.add_child(Text(f"{element.get_name()}.addTo({element._parent.get_name()});"),
                         name=element.get_name() + "_add")


def render_map(m) -> None:
    """Render the map and everything on it into its figure's script."""
    render_element(m, m.get_root().script, root=True)

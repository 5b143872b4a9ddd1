"""Static pictures of a map (PNG or SVG) with matplotlib, for papers and slides.

The picture uses the positions, sizes and colours of the interactive map
(:func:`graphkit.render.collaboration_network` or
:func:`graphkit.render.institution_network`), so the two look alike; no
browser is involved. It is sized for the width of an A4 page (8.27 in) with
6-point labels, placed like the page's: most central first, none overlapping.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from contextlib import contextmanager
from pathlib import Path

from graphkit.exceptions import OutputError, RenderError
from graphkit.render._files import replace_file

__all__ = ["is_graphkit_image", "write_image"]

log = logging.getLogger(__name__)

#: What graphkit writes into a picture's metadata (PNG "Software", SVG "Creator"), to know its own files again.
GENERATOR = "graphkit"

A4_WIDTH_IN = 8.27
VIRIDIS_NOTE = "average year of papers"
#: Families that draw Chinese, Japanese and Korean names, tried first (when installed) for the characters
#: matplotlib's default font lacks; any other installed font that has them is tried after these.
FALLBACK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Noto Sans CJK HK",
    "Source Han Sans SC", "Source Han Sans", "Noto Sans SC", "Noto Sans JP", "Noto Sans TC", "Noto Sans KR",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN", "IPAGothic",
    "IPAexGothic", "TakaoGothic", "VL Gothic", "Microsoft YaHei", "SimHei", "Malgun Gothic", "Yu Gothic",
    "MS Gothic", "PingFang SC", "Hiragino Sans", "Apple SD Gothic Neo", "Arial Unicode MS",
)
#: matplotlib's warning for a character no font of the family list has ("missing from current font" before 3.6).
MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from")
_said: set[str] = set()  # the font hint is given once per process, not once per picture


def _matplotlib():
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - depends on the installation
        raise RenderError("static images need matplotlib: pip install matplotlib (in a clone: pip install -e '.[image]')") from None
    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    return matplotlib, Figure, FigureCanvasAgg, LineCollection, Line2D


def write_image(
    net,
    path: str | Path,
    *,
    colour_by: str | None = None,
    labels: int = 40,
    width_in: float = A4_WIDTH_IN,
    dpi: int = 200,
    overwrite: bool = False,
) -> Path:
    """Draw the map ``net`` to ``path``; the suffix (``.png`` or ``.svg``) picks the format.

    Parameters
    ----------
    net : pyvis.network.Network
        A map from :func:`~graphkit.render.collaboration_network` or
        :func:`~graphkit.render.institution_network`.
    path : str or Path
        Output file; ``.png`` or ``.svg``.
    colour_by : str, optional
        "community", "institution" or "year"; default: the map's own.
    labels : int
        At most this many names, most central first, none overlapping.
    width_in, dpi : float, int
        Picture width in inches (A4 by default) and PNG resolution.
    overwrite : bool
        Replace an existing file that graphkit did not draw (:func:`is_graphkit_image`);
        without it such a file is refused with :class:`~graphkit.exceptions.OutputError`.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise RenderError(f"{path}: a static map is written as .png or .svg, not {path.suffix or 'no suffix'}")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the picture")
    if (path.exists() or path.is_symlink()) and not overwrite and not is_graphkit_image(path):
        raise OutputError(f"{path} exists and is not a picture graphkit drew; graphkit will not replace it (use --overwrite)")
    matplotlib = _matplotlib()[0]
    meta = getattr(net, "graphkit", None) or {}
    legends = meta.get("legends") or {}
    colour_by = colour_by or meta.get("colour_by") or "community"
    if colour_by != "year" and colour_by not in legends and legends:
        raise RenderError(f"this map has no {colour_by!r} colouring: use one of {', '.join([*legends, 'year'])}")
    texts = [str(meta.get("title", "Map")), str(meta.get("note", ""))]
    texts += [str(n.get("label", n["id"])) for n in net.nodes] + [label for _, label in _legend_items(meta, legends, colour_by, net.nodes)]
    # names in scripts the default font lacks (Chinese, Japanese, ...) are drawn with an installed font that has them
    families = _fallback_families(texts)
    rc = {"font.family": [*matplotlib.rcParams["font.family"], *families]} if families else {}

    def save(handle) -> None:
        # SVG text stays text (editable, searchable) rather than glyph outlines.
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(handle, format=fmt, dpi=dpi, facecolor="white",
                        metadata={"Software" if fmt == "png" else "Creator": GENERATOR})

    # matplotlib warns once per character and pass that no font has; one line says it instead (_missing_glyphs)
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(rc), _nearest_weight_unsaid():
        warnings.simplefilter("always")
        fig, drawn = _figure(net, meta, legends, colour_by, labels=labels, width_in=width_in, dpi=dpi)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, save)  # a new hidden file beside path, renamed over it: no other file is touched
        except OSError as error:
            raise RenderError(f"{path}: cannot write the picture: {error.strerror or error}") from None
    _missing_glyphs(caught, drawn)
    return path


def _figure(net, meta: dict, legends: dict, colour_by: str, *, labels: int, width_in: float, dpi: int):
    """The map's matplotlib figure, and the texts drawn on it (title, note, the labels placed, the legend)."""
    _, Figure, FigureCanvasAgg, LineCollection, Line2D = _matplotlib()
    palette = meta.get("palette") or []
    nodes = net.nodes
    index = {n["id"]: i for i, n in enumerate(nodes)}
    xs = [n.get("x", 0.0) for n in nodes]
    ys = [-n.get("y", 0.0) for n in nodes]  # the page's y axis points down
    span_x = (max(xs) - min(xs)) if nodes else 1.0
    span_y = (max(ys) - min(ys)) if nodes else 1.0
    biggest = max((float(n.get("size", 8)) for n in nodes), default=8.0)
    pad = 0.03 * max(span_x, span_y, 1.0) + 1.1 * biggest  # whole nodes at the edges (sizes are in layout units)
    legend_items = _legend_items(meta, legends, colour_by, nodes)
    legend_rows = (len(legend_items) + 1) // 2
    plot_h = width_in * (span_y + 2 * pad) / (span_x + 2 * pad) if span_x else width_in
    height_in = min(max(plot_h, 2.0), width_in * 1.4) + 0.5 + 0.16 * legend_rows
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    top = 1 - 0.45 / height_in
    bottom = (0.2 + 0.16 * legend_rows) / height_in
    ax = fig.add_axes((0.01, bottom, 0.98, top - bottom))
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    if nodes:
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
    drawn = [str(meta.get("title", "Map")), str(meta.get("note", ""))] + [label for _, label in legend_items]
    fig.suptitle(str(meta.get("title", "Map")), x=0.01, y=1 - 0.08 / height_in, ha="left", va="top", fontsize=9, fontweight="bold")
    fig.text(0.01, 1 - 0.3 / height_in, str(meta.get("note", "")), ha="left", va="top", fontsize=6, color="#555555")

    segments = [((xs[index[e["from"]]], ys[index[e["from"]]]), (xs[index[e["to"]]], ys[index[e["to"]]])) for e in net.edges]
    widths = [0.15 + 0.1 * float(e.get("width") or 1) for e in net.edges]
    ax.add_collection(LineCollection(segments, colors="#9aa6b2", linewidths=widths, alpha=0.35, zorder=1))
    colours = _node_colours(nodes, legends, palette, colour_by)
    # Node radius in points: the page's size is in layout units.
    axis_w_pt = 72 * width_in * 0.98
    points_per_unit = axis_w_pt / (span_x + 2 * pad) if span_x else 1.0
    sizes = [max(1.2, 2 * float(n.get("size", 8)) * points_per_unit) ** 2 for n in nodes]
    ax.scatter(xs, ys, s=sizes, c=colours, linewidths=0.2, edgecolors="#333333", zorder=2)

    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    # A light backdrop keeps names legible over nodes and edges (and, unlike a
    # path-effect halo, leaves SVG text as text).
    backdrop = {"boxstyle": "square,pad=0.08", "facecolor": (1, 1, 1, 0.7), "edgecolor": "none"}
    taken = []
    for i, n in enumerate(nodes):  # nodes come most central first
        if len(taken) >= labels:
            break
        gap = 1.0 + 0.5 * sizes[i] ** 0.5
        for offset, va in ((-gap, "top"), (gap, "bottom")):  # below the node, else above it
            text = ax.annotate(str(n.get("label", n["id"])), (xs[i], ys[i]), xytext=(0, offset), textcoords="offset points",
                               ha="center", va=va, fontsize=6, color="#1a1a1a", zorder=3, annotation_clip=True,
                               bbox=backdrop)
            box = text.get_window_extent(renderer)
            if (any(box.overlaps(other) for other in taken) or box.x0 < frame.x0 or box.x1 > frame.x1
                    or box.y0 < frame.y0 or box.y1 > frame.y1):
                text.remove()
                continue
            taken.append(box)
            drawn.append(str(n.get("label", n["id"])))
            break
    if legend_items:
        handles = [Line2D([], [], marker="o", linestyle="", markersize=5, markerfacecolor=c, markeredgecolor="#555555",
                          markeredgewidth=0.3, label=label) for c, label in legend_items]
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.01), ncol=2, fontsize=6, frameon=False,
                   handletextpad=0.3, columnspacing=1.5, borderaxespad=0)
    return fig, drawn


def _fallback_families(texts) -> list[str]:
    """Installed font families that draw the characters of ``texts`` matplotlib's default font lacks.

    The families of :data:`FALLBACK_FAMILIES` come first, then any other
    installed font (not matplotlib's own: its Last Resort font has a box for
    every character), each only when it draws a character still lacking.
    Empty when the default font draws everything (a map in Latin script) or no
    installed font helps.
    """
    import matplotlib
    from matplotlib import font_manager

    def font(where):
        try:
            return font_manager.get_font(where)
        except (ValueError, OSError, RuntimeError):  # a file FreeType cannot read
            return None

    default = font(font_manager.findfont(font_manager.FontProperties()))
    wanted = {c for text in texts for c in set(text) if unicodedata.category(c)[0] in "LMNPS"}
    lacking = {c for c in wanted if default is None or not default.get_char_index(ord(c))}
    if not lacking:
        return []
    own = str(Path(matplotlib.get_data_path()).resolve())
    faces: dict = {}  # family -> its regular face (the one a label uses), read from the font list, not searched
    for entry in font_manager.fontManager.ttflist:
        if str(Path(entry.fname).resolve()).startswith(own):
            continue
        regular = (entry.style != "normal", abs(int(entry.weight) - 400) if str(entry.weight).isdigit() else 500)
        if entry.name not in faces or regular < faces[entry.name][0]:
            index = getattr(entry, "index", 0)  # a face of a .ttc collection (matplotlib 3.10 on)
            where = font_manager.FontPath(entry.fname, index) if index and hasattr(font_manager, "FontPath") else entry.fname
            faces[entry.name] = (regular, where)
    families = []
    for family in [f for f in FALLBACK_FAMILIES if f in faces] + sorted(set(faces) - set(FALLBACK_FAMILIES)):
        candidate = font(faces[family][1])
        found = {c for c in lacking if candidate is not None and candidate.get_char_index(ord(c))}
        if found:
            families.append(family)
            lacking -= found
            if not lacking:
                break
    return families


@contextmanager
def _nearest_weight_unsaid():
    """Drop matplotlib's log line that a family has no bold face (a fallback font's bold title is drawn in its
    regular weight, which is all there is to say)."""
    logger = logging.getLogger("matplotlib.font_manager")
    drop = _DropMessages("findfont: Failed to find font weight")
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


class _DropMessages(logging.Filter):
    def __init__(self, start: str):
        super().__init__()
        self.start = start

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.start)


def _missing_glyphs(caught: list, drawn: list[str]) -> None:
    """Say in one line which drawn texts have characters no font had (from matplotlib's warnings, which are
    dropped); any other warning is given again as it came."""
    missing = set()
    for w in caught:
        glyph = MISSING_GLYPH.match(str(w.message))
        if glyph:
            missing.add(chr(int(glyph[1])))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    texts = sorted({t for t in drawn if missing & set(t)})
    if not texts:
        return
    shown = sorted(missing & set("".join(texts)))
    cjk = any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in shown)
    font = "Noto Sans CJK (Debian and Ubuntu: fonts-noto-cjk)" if cjk else "one of the Noto fonts (Debian and Ubuntu: fonts-noto)"
    message = (f"{len(texts):,} label{'s' if len(texts) != 1 else ''} use{'s' if len(texts) == 1 else ''} characters "
               f"the installed fonts lack ({' '.join(shown[:8])}{' ...' if len(shown) > 8 else ''}), drawn as boxes; "
               f"install a font that has them, such as {font}")
    if message not in _said:
        _said.add(message)
        log.warning(message)


def file_head(path: str | Path, size: int) -> bytes | None:
    """The first ``size`` bytes of ``path`` when it is a regular file (not a link), else None."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        return None
    with path.open("rb") as f:
        return f.read(size)


def is_graphkit_image(path: str | Path) -> bool:
    """Whether ``path`` is a regular file that graphkit drew as a PNG or SVG map (its metadata names graphkit).

    >>> is_graphkit_image("no-such-file.png")
    False
    """
    head = file_head(path, 4096)  # PNG text chunks and SVG metadata come before the drawing
    if head is None:
        return False
    if head.startswith(b"\x89PNG"):
        return b"Software\x00" + GENERATOR.encode() in head
    return b"<dc:creator>" in head and f"<dc:title>{GENERATOR}</dc:title>".encode() in head


def _viridis(value: float | None, lo: float, hi: float):
    from matplotlib import colormaps

    if value is None:
        return "#c7c7c7"
    return colormaps["viridis"]((value - lo) / (hi - lo) if hi > lo else 1.0)


def _node_colours(nodes, legends, palette, colour_by):
    if colour_by == "year":
        years = [n.get("mean_year") for n in nodes if n.get("mean_year") is not None]
        if not years:
            raise RenderError("no author on this map has a known year: colour by community instead")
        lo, hi = min(years), max(years)
        return [_viridis(n.get("mean_year"), lo, hi) for n in nodes]
    out = []
    for n in nodes:
        group = (n.get("groups") or {}).get(colour_by)
        out.append(palette[group] if group is not None and group < len(palette) else n.get("color", "#c7c7c7"))
    return out


def _legend_items(meta, legends, colour_by, nodes) -> list[tuple]:
    if colour_by == "year":
        years = [n.get("mean_year") for n in nodes if n.get("mean_year") is not None]
        if not years:
            return []
        lo, hi = min(years), max(years)
        return [(_viridis(lo + (hi - lo) * k / 4, lo, hi), f"{VIRIDIS_NOTE} {lo + (hi - lo) * k / 4:.1f}") for k in range(5)]
    items = [(item["color"], item["label"]) for item in legends.get(colour_by, [])]
    if meta.get("key"):
        items.append(("#ffffff", meta["key"]))
    return items

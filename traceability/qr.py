"""QR code images of item URIs (segno): SVG for print, PNG for screens and office printers."""

import io

import segno

ERROR_LEVELS = ("M", "Q", "H")  # M for plain labels; Q or H when a logo overlays the code
DEFAULT_ERROR = "M"


def make(uri: str, *, error: str = DEFAULT_ERROR, like: segno.QRCode | None = None) -> segno.QRCode:
    """The QR code of ``uri``; ``like``: a code made for a URI of the same length and kind (a lot's item URIs),
    whose version, mode and mask are this one's too, which spares segno choosing them again (evaluating eight
    masks is the encoder's costliest step)."""
    if like is None:
        return segno.make_qr(uri, error=error.lower(), boost_error=False)
    return segno.make_qr(
        uri, error=error.lower(), boost_error=False, version=like.version, mode=like.mode, mask=like.mask
    )


def svg(uri: str, *, error: str = DEFAULT_ERROR, size_mm: float = 20.0) -> bytes:
    """An SVG whose printed width is ``size_mm`` (quiet zone included)."""
    code = make(uri, error=error)
    width_modules = code.symbol_size(scale=1, border=4)[0]
    out = io.BytesIO()
    code.save(out, kind="svg", scale=size_mm / width_modules, unit="mm", border=4, xmldecl=False, svgns=True, title=uri)
    return out.getvalue()


def png(uri: str, *, error: str = DEFAULT_ERROR, size_mm: float = 20.0, dpi: int = 300) -> bytes:
    """A PNG at ``dpi`` whose printed width is at least ``size_mm``; whole pixels per module keep it sharp."""
    code = make(uri, error=error)
    width_modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(1, round(size_mm / 25.4 * dpi / width_modules))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4, dpi=dpi)
    return out.getvalue()

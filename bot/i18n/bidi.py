"""Keeps Latin names, numbers and URLs readable inside right-to-left text."""

FSI = "\u2068"  # first strong isolate
PDI = "\u2069"  # pop directional isolate


def isolate(value: object) -> str:
    """Wraps an interpolated value in Unicode isolates (U+2068…U+2069)."""
    return f"{FSI}{value}{PDI}"

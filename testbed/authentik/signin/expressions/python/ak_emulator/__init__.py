"""Shims of the objects authentik passes to scope-mapping expressions, for the emulator (loaded into pyodide)."""

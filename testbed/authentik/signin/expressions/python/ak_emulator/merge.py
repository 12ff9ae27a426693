"""deepmerge's `always_merger`, which authentik uses for group_attributes and to combine scope-mapping results.

Strategies: dict -> merge (in place, keys of `nxt` win recursively), list -> append (`base + nxt`), set -> union;
anything else, or two values of different kinds -> override (`nxt`). Values of `nxt` are taken by reference, as
deepmerge does, so later merges can change nested dicts an earlier one inserted.
"""


def always_merge(base, nxt):
    if isinstance(base, dict) and isinstance(nxt, dict):
        for key, value in nxt.items():
            base[key] = always_merge(base[key], value) if key in base else value
        return base
    if isinstance(base, list) and isinstance(nxt, list):
        return base + nxt
    if isinstance(base, set) and isinstance(nxt, set):
        return base | nxt
    return nxt

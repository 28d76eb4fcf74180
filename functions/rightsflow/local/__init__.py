"""The local stack: the real template.yaml deployed into moto, in-process, with no Docker."""

"""Yunong (渝农大脑): the rural revitalization platform for Chongqing."""

__version__ = "0.1.0"

"""Renderers shared by the apps: Party-format Word documents, and the fonts documents embed."""

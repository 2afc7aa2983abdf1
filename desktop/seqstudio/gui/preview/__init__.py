"""The preview: the offscreen web engine that draws emails (snapshot.py), and later the pane."""

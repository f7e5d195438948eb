"""Reading and writing citycoop objects: ``citycoop.io.json`` and ``citycoop.io.csv``."""

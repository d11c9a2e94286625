"""Presentation: records turned into views, then into tables, plain text, JSON, CSV and
citations; terminal safety. May import the domain and storage.
"""

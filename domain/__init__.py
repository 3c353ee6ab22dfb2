"""Cotrace's domain: the aggregates of co-production, their rules, and the application service.

Nothing here knows about Flask, SQL or HTTP.
"""

"""engine/syntax"""

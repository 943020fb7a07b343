"""engine/text"""

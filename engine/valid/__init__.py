"""engine/valid"""

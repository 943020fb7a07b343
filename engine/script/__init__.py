"""engine/script"""

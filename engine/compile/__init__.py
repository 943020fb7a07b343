"""engine/compile"""
